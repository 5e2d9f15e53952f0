/**
 * The reference distribution a model file keeps of its training data (`metadata.reference`,
 * docs/model-format.md): quantile bins of every input column and of the score. Live traffic
 * is compared against it (population stability index, `src/drift/`) to warn when today's
 * customers no longer look like the ones the model learned from.
 *
 * Bins are counted on the record as the model reads it (encoded by the model's own feature
 * spec: `input-bins.ts`), so a value the model clips, imputes or folds lands where the model
 * sees it. Per column type:
 * - numeric: `edges` are ascending cut points in raw units (the training values' deciles,
 *   repeated ones dropped); bin i holds values ≤ edges[i] (and > edges[i-1]); one more bin above
 *   the last edge, then a last bin for missing cells (used when the column has a missing
 *   indicator): `edges.length + 2` shares.
 * - categorical: no edges; one share per known category, then one for missing or unseen ones.
 * - boolean: no edges; shares of false, true, missing.
 * The score's bins are deciles of the training scores: `edges.length + 1` shares.
 */
import type { ColumnSpec } from './feature-spec.js';

/** Bins as cut points and the share of the training rows in each bin. */
export interface ReferenceBins {
  edges: number[];
  shares: number[];
}

/** One input column's bins, named as in `featureSpec.columns` (same order). */
export interface ColumnReference extends ReferenceBins {
  name: string;
}

/** `metadata.reference`: the training data's distribution of every input and of the score. */
export interface ReferenceDistribution {
  /** Training rows the shares were counted on. */
  rows: number;
  columns: ColumnReference[];
  score: ReferenceBins;
}

/**
 * How many bins a column's reference has, given its cut points.
 *
 * @example
 * referenceBinCount({ name: 'Tenure', type: 'numeric', ... }, 9); // 11: ten deciles and "missing"
 */
export function referenceBinCount(column: ColumnSpec, edges: number): number {
  switch (column.type) {
    case 'numeric':
      return edges + 2;
    case 'categorical':
      return column.categories.length + 1;
    case 'boolean':
      return 3;
  }
}

/**
 * The bin of `value` among ascending cut points: the first `i` with value ≤ edges[i], or
 * `edges.length` above them all.
 *
 * @example
 * binOf([1, 3, 5], 3); // 1
 */
export function binOf(edges: ArrayLike<number>, value: number): number {
  let bin = 0;
  while (bin < edges.length && value > edges[bin]!) bin++;
  return bin;
}
