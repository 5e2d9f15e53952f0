/**
 * Fitting a model's reference distribution (`reference-distribution.ts`) on its training
 * rows and their scores: written by `train` (and so by `tune` and `retrain`) into the model
 * file, so the serving side can measure drift against it.
 */
import type { FeatureSpec, RawRecord } from './feature-spec.js';
import { createInputBins } from './input-bins.js';
import { quantileOfSorted } from './quantile.js';
import { readNumber } from './read-cell.js';
import { binOf, type ReferenceDistribution } from './reference-distribution.js';

/** Deciles: the usual binning of the population stability index. */
const BINS = 10;
/** Shares are stored to six decimals: finer than any drift measure can use, and a compact file. */
const SHARE_PRECISION = 1e6;

/**
 * The reference distribution of `rows` (the training rows, as given to `train`) and of their
 * `scores` (the trained model's probabilities for the same rows).
 *
 * @example
 * const reference = fitReference(spec, rows, scores);
 * reference.columns[0]; // { name: 'Tenure', edges: [1, 2, 4, ...], shares: [0.12, ...] }
 */
export function fitReference(spec: FeatureSpec, rows: readonly RawRecord[], scores: ArrayLike<number>): ReferenceDistribution {
  const edges = spec.columns.map((column) => {
    if (column.type !== 'numeric') return [];
    const values: number[] = [];
    for (const row of rows) {
      const value = readNumber(Object.hasOwn(row, column.name) ? row[column.name] : undefined);
      if (value === value) values.push(value);
    }
    return quantileEdges(Float64Array.from(values).sort());
  });
  const bins = createInputBins(spec, edges);
  const counts = new Float64Array(bins.size);
  for (const row of rows) bins.count(row, counts, 0);
  const columns = spec.columns.map((column, c) => {
    const start = bins.offsets[c]!;
    const end = c + 1 < spec.columns.length ? bins.offsets[c + 1]! : bins.size;
    return { name: column.name, edges: edges[c]!, shares: sharesOf(counts.subarray(start, end), rows.length) };
  });
  const scoreEdges = quantileEdges(Float64Array.from(scores).sort());
  const scoreCounts = new Float64Array(scoreEdges.length + 1);
  for (let i = 0; i < scores.length; i++) scoreCounts[binOf(scoreEdges, scores[i]!)]++;
  return { rows: rows.length, columns, score: { edges: scoreEdges, shares: sharesOf(scoreCounts, scores.length) } };
}

/** Decile cut points of ascending values, repeated ones dropped (a column of few distinct values has fewer bins). */
function quantileEdges(sorted: Float64Array): number[] {
  const edges: number[] = [];
  if (sorted.length === 0) return edges;
  for (let k = 1; k < BINS; k++) {
    const edge = quantileOfSorted(sorted, k / BINS);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
}

function sharesOf(counts: ArrayLike<number>, total: number): number[] {
  return Array.from(counts, (count) => (total > 0 ? Math.round((count / total) * SHARE_PRECISION) / SHARE_PRECISION : 0));
}
