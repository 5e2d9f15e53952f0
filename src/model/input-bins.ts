/**
 * Counting records into the bins of a reference distribution (`reference-distribution.ts`),
 * on the record as the model reads it: each record is encoded by the model's own feature
 * spec and binned from its encoded slots, so reading cells (numbers in strings, category
 * spellings and aliases, missing tokens) is never done a second, different way. Numeric cut
 * points are encoded once, by the same encoder, so comparing encoded values against them
 * is comparing the raw values.
 */
import { compileEncoder } from './encode-record.js';
import { columnWidth, type FeatureSpec, type RawRecord } from './feature-spec.js';
import { binOf, referenceBinCount } from './reference-distribution.js';

/** A spec's bins laid out flat: column after column, each `referenceBinCount` long. */
export interface InputBins {
  /** Bins over all columns. */
  readonly size: number;
  /** Where each column's bins start. */
  readonly offsets: Int32Array;
  /** Adds one to the bin of each column of `record` in `counts`, starting at `base`. Allocates nothing. */
  count(record: RawRecord, counts: { [index: number]: number }, base: number): void;
}

const NUMERIC = 0;
const CATEGORICAL = 1;
const BOOLEAN = 2;

/**
 * Prepares counting for `spec` with the numeric cut points `edges` (one list per column,
 * empty for categorical and boolean columns).
 *
 * @example
 * const bins = createInputBins(model.featureSpec, reference.columns.map((column) => column.edges));
 * const counts = new Float64Array(bins.size);
 * bins.count({ Tenure: 4 }, counts, 0);
 */
export function createInputBins(spec: FeatureSpec, edges: readonly (readonly number[])[]): InputBins {
  const encode = compileEncoder(spec);
  const scratch = new Float32Array(spec.inputSize);
  const count = spec.columns.length;
  const kinds = new Uint8Array(count);
  const slots = new Int32Array(count);
  const offsets = new Int32Array(count);
  const widths = new Int32Array(count);
  const indicators = new Uint8Array(count);
  const encodedEdges: Float32Array[] = [];
  let slot = 0;
  let size = 0;
  spec.columns.forEach((column, c) => {
    const cuts = edges[c] ?? [];
    slots[c] = slot;
    offsets[c] = size;
    size += referenceBinCount(column, cuts.length);
    kinds[c] = column.type === 'numeric' ? NUMERIC : column.type === 'categorical' ? CATEGORICAL : BOOLEAN;
    if (column.type === 'numeric') {
      indicators[c] = column.missingIndicator ? 1 : 0;
      encodedEdges[c] = Float32Array.from(cuts, (cut) => {
        encode({ [column.name]: cut }, scratch, 0);
        return scratch[slot]!;
      });
    } else if (column.type === 'categorical') {
      widths[c] = column.categories.length;
    }
    slot += columnWidth(column);
  });

  return {
    size,
    offsets,
    count(record, counts, base) {
      encode(record, scratch, 0);
      for (let c = 0; c < count; c++) {
        const at = slots[c]!;
        let bin: number;
        switch (kinds[c]) {
          case NUMERIC: {
            const cuts = encodedEdges[c]!;
            bin = indicators[c] === 1 && scratch[at + 1] === 1 ? cuts.length + 1 : binOf(cuts, scratch[at]!);
            break;
          }
          case CATEGORICAL: {
            // The slot holding 1, or the last bin: missing or unseen (the unknown slot, or the
            // training frequencies spread over the block when it was never trained).
            const width = widths[c]!;
            bin = 0;
            while (bin < width && scratch[at + bin] !== 1) bin++;
            break;
          }
          default: {
            const flag = scratch[at]!;
            bin = flag === 1 ? 1 : flag === 0 ? 0 : 2;
          }
        }
        counts[base + offsets[c]! + bin]++;
      }
    },
  };
}
