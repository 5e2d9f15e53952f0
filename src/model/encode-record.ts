import { canonicalSpelling, createCategoryKey, foldSpelling } from './category-normalization.js';
import { columnWidth, type CategoricalColumnSpec, type FeatureSpec, type RawRecord } from './feature-spec.js';
import { readBoolean, readCategory, readNumber } from './read-cell.js';
import { createFieldReader } from './read-field.js';

/** Writes one record's encoded floats at `offset`; see `encodeRecord`. */
export type RecordEncoder = (record: RawRecord, out: Float32Array, offset: number) => void;

type ColumnEncoder = (record: RawRecord, out: Float32Array, at: number) => void;

const compiled = new WeakMap<FeatureSpec, RecordEncoder>();

/**
 * Encodes `record` into `spec.inputSize` floats of `out` starting at `offset`.
 * Never writes NaN: a missing, non-numeric, NaN or infinite numeric cell takes the
 * fitted median (and sets its missing indicator); a missing or unseen category goes
 * to the unknown slot (or the training frequencies, see `CategoricalColumnSpec`);
 * an unreadable boolean takes the training share of true. Fields absent from the
 * spec are ignored. No allocation for the values the spec has seen: lookups are
 * prepared once per spec and cached.
 *
 * @example
 * const out = new Float32Array(spec.inputSize);
 * encodeRecord(spec, { Tenure: 4, PreferredPaymentMode: 'CC' }, out, 0);
 */
export function encodeRecord(spec: FeatureSpec, record: RawRecord, out: Float32Array, offset = 0): void {
  let encoder = compiled.get(spec);
  if (!encoder) {
    encoder = compileEncoder(spec);
    compiled.set(spec, encoder);
  }
  encoder(record, out, offset);
}

/** Prepares the lookups of `spec` once and returns the encoder (what `encodeRecord` caches). */
export function compileEncoder(spec: FeatureSpec): RecordEncoder {
  const columnEncoders: ColumnEncoder[] = [];
  const columnOffsets: number[] = [];
  let slot = 0;
  for (const column of spec.columns) {
    columnOffsets.push(slot);
    const read = createFieldReader(column.name);
    switch (column.type) {
      case 'numeric': {
        const { clipLow, clipHigh, mean, missingIndicator } = column;
        const inverseStd = column.std > 0 ? 1 / column.std : 0;
        const imputed = (Math.min(Math.max(column.median, clipLow), clipHigh) - mean) * inverseStd;
        columnEncoders.push((record, out, at) => {
          const value = readNumber(read(record));
          if (value !== value) {
            out[at] = imputed;
            if (missingIndicator) out[at + 1] = 1;
            return;
          }
          const clipped = value < clipLow ? clipLow : value > clipHigh ? clipHigh : value;
          out[at] = (clipped - mean) * inverseStd;
          if (missingIndicator) out[at + 1] = 0;
        });
        break;
      }
      case 'categorical':
        columnEncoders.push(compileCategorical(column, spec, slot, read));
        break;
      case 'boolean': {
        const imputed = column.imputed;
        columnEncoders.push((record, out, at) => {
          const value = readBoolean(read(record));
          out[at] = value !== value ? imputed : value;
        });
        break;
      }
    }
    slot += columnWidth(column);
  }
  const count = columnEncoders.length;
  return (record, out, offset) => {
    for (let i = 0; i < count; i++) columnEncoders[i]!(record, out, offset + columnOffsets[i]!);
  };
}

function compileCategorical(
  column: CategoricalColumnSpec,
  spec: FeatureSpec,
  firstSlot: number,
  read: (record: RawRecord) => unknown,
): ColumnEncoder {
  const normalization = spec.categoryNormalization;
  const keyOf = createCategoryKey(normalization);
  const slotByKey = new Map<string, number>();
  column.categories.forEach((category, index) => slotByKey.set(keyOf(category), index));
  // Exact spellings resolve without folding (no string allocation on the hot path):
  // the canonical spellings, their common case variants and every alias variant.
  const slotBySpelling = new Map<string, number>();
  const remember = (spelling: string) => {
    const index = slotByKey.get(keyOf(spelling));
    if (index !== undefined) slotBySpelling.set(spelling, index);
  };
  for (const category of column.categories) {
    remember(category);
    remember(category.toLowerCase());
    remember(category.toUpperCase());
    const canonical = canonicalSpelling(normalization, foldSpelling(category));
    if (canonical !== undefined) remember(canonical);
  }
  for (const [variant] of normalization.aliases) remember(variant);

  const width = column.categories.length + 1;
  const unknownSlot = column.categories.length;
  const unknownFill = Float32Array.from(spec.baseline.slice(firstSlot, firstSlot + width));
  if (column.unknownSeen) unknownFill.fill(0)[unknownSlot] = 1;

  return (record, out, at) => {
    const value = read(record);
    let index = typeof value === 'string' ? slotBySpelling.get(value) : undefined;
    if (index === undefined) {
      const text = readCategory(value);
      index = text === undefined ? undefined : slotByKey.get(keyOf(text));
    }
    if (index === undefined) {
      out.set(unknownFill, at);
      return;
    }
    out.fill(0, at, at + width);
    out[at + index] = 1;
  };
}
