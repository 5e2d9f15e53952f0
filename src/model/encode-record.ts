import { InputError } from '../errors.js';
import { canonicalSpelling, createCategoryKey, foldSpelling } from './category-normalization.js';
import { columnWidth, type CategoricalColumnSpec, type FeatureSpec, type RawRecord } from './feature-spec.js';
import { readBoolean, readCategory, readNumber } from './read-cell.js';
import { describeValue } from './model-file-schema.js';

/** Writes one record's encoded floats at `offset`; see `encodeRecord`. */
export type RecordEncoder = (record: RawRecord, out: Float32Array, offset: number) => void;

const compiled = new WeakMap<FeatureSpec, RecordEncoder>();

/**
 * Encodes `record` into `spec.inputSize` floats of `out` starting at `offset`.
 * Never writes NaN: a missing, non-numeric, NaN or infinite numeric cell takes the
 * fitted median (and sets its missing indicator); a missing or unseen category goes
 * to the unknown slot (or the training frequencies, see `CategoricalColumnSpec`);
 * an unreadable boolean takes the training share of true. Fields absent from the
 * spec are ignored; a record that is not an object (null, a string) is an `InputError`. No allocation for the values the spec has seen: lookups are
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

/** Column kinds as small integers: one monomorphic loop with a switch beats a closure per column. */
const NUMERIC = 0;
const CATEGORICAL = 1;
const BOOLEAN = 2;

/** Prepares the lookups of `spec` once and returns the encoder (what `encodeRecord` caches). */
export function compileEncoder(spec: FeatureSpec): RecordEncoder {
  const count = spec.columns.length;
  const names = spec.columns.map((column) => column.name);
  // Names on Object.prototype ("constructor", "__proto__", ...) are read as own properties only.
  const ownOnly = Uint8Array.from(names, (name) => (name in Object.prototype ? 1 : 0));
  const kinds = new Uint8Array(count);
  const slots = new Int32Array(count);
  const clipLows = new Float64Array(count);
  const clipHighs = new Float64Array(count);
  const means = new Float64Array(count);
  const inverseStds = new Float64Array(count);
  /** Per column: the encoded value of a missing cell. */
  const imputed = new Float64Array(count);
  const indicators = new Uint8Array(count);
  const categoricals: (CategoricalLookup | undefined)[] = new Array(count).fill(undefined);

  let slot = 0;
  spec.columns.forEach((column, c) => {
    slots[c] = slot;
    switch (column.type) {
      case 'numeric': {
        kinds[c] = NUMERIC;
        clipLows[c] = column.clipLow;
        clipHighs[c] = column.clipHigh;
        means[c] = column.mean;
        inverseStds[c] = column.std > 0 ? 1 / column.std : 0;
        imputed[c] = (Math.min(Math.max(column.median, column.clipLow), column.clipHigh) - column.mean) * inverseStds[c]!;
        indicators[c] = column.missingIndicator ? 1 : 0;
        break;
      }
      case 'categorical':
        kinds[c] = CATEGORICAL;
        categoricals[c] = prepareCategorical(column, spec, slot);
        break;
      case 'boolean':
        kinds[c] = BOOLEAN;
        imputed[c] = column.imputed;
        break;
    }
    slot += columnWidth(column);
  });

  return (record, out, offset) => {
    // An array is refused too: `predict(customers)` would otherwise score the list as one
    // customer with every column missing, and answer the population's prior.
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new InputError('INPUT_NOT_RECORD', `expected a record object (column name → value), got ${describeValue(record)}`);
    }
    for (let c = 0; c < count; c++) {
      const name = names[c]!;
      const value = ownOnly[c] === 1 && !Object.hasOwn(record, name) ? undefined : record[name];
      const at = offset + slots[c]!;
      switch (kinds[c]) {
        case NUMERIC: {
          const number = typeof value === 'number' ? value : readNumber(value);
          // x - x is 0 for finite numbers and NaN for NaN and ±Infinity.
          if (number - number !== 0) {
            out[at] = imputed[c]!;
            if (indicators[c] === 1) out[at + 1] = 1;
          } else {
            const low = clipLows[c]!;
            const high = clipHighs[c]!;
            const clipped = number < low ? low : number > high ? high : number;
            out[at] = (clipped - means[c]!) * inverseStds[c]!;
            if (indicators[c] === 1) out[at + 1] = 0;
          }
          break;
        }
        case CATEGORICAL:
          encodeCategory(categoricals[c]!, value, out, at);
          break;
        default: {
          const flag = readBoolean(value);
          out[at] = flag !== flag ? imputed[c]! : flag;
        }
      }
    }
  };
}

interface CategoricalLookup {
  /** Exact spellings → slot, resolved without folding (no string allocation on the hot path). */
  slotBySpelling: Map<string, number>;
  /** Folded, alias-resolved keys → slot, for spellings not seen before. */
  slotByKey: Map<string, number>;
  keyOf: (text: string) => string;
  width: number;
  /** What a missing or unknown value writes over the block. */
  unknownFill: Float32Array;
}

function encodeCategory(lookup: CategoricalLookup, value: unknown, out: Float32Array, at: number): void {
  let index = typeof value === 'string' ? lookup.slotBySpelling.get(value) : undefined;
  if (index === undefined) {
    const text = readCategory(value);
    index = text === undefined ? undefined : lookup.slotByKey.get(lookup.keyOf(text));
  }
  if (index === undefined) {
    out.set(lookup.unknownFill, at);
    return;
  }
  out.fill(0, at, at + lookup.width);
  out[at + index] = 1;
}

function prepareCategorical(column: CategoricalColumnSpec, spec: FeatureSpec, firstSlot: number): CategoricalLookup {
  const normalization = spec.categoryNormalization;
  const keyOf = createCategoryKey(normalization);
  const slotByKey = new Map<string, number>();
  column.categories.forEach((category, index) => slotByKey.set(keyOf(category), index));
  // The canonical spellings, their common case variants and every alias variant.
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
  const unknownFill = Float32Array.from(spec.baseline.slice(firstSlot, firstSlot + width));
  if (column.unknownSeen) unknownFill.fill(0)[column.categories.length] = 1;
  return { slotBySpelling, slotByKey, keyOf, width, unknownFill };
}
