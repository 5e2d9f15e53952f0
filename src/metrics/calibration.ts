import { OptionsError } from '../errors.js';
import { checkScoredLabels } from './scored-labels.js';

/** One probability bin: how often the rows predicted in [lower, upper) actually churned. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of the rows in the bin (0 when the bin is empty). */
  meanPredicted: number;
  /** Share of the bin's rows that churned (0 when the bin is empty). */
  observedRate: number;
}

/**
 * Reliability table: probabilities cut into `bins` equal-width bins on [0, 1]
 * (the last bin includes 1). A calibrated model has `meanPredicted ≈ observedRate`
 * in every populated bin. Empty bins are kept, with count 0, so tables from
 * different models line up row by row.
 *
 * @example
 * calibrationTable([0, 1, 1], [0.1, 0.8, 0.9], { bins: 2 });
 * // [{ lower: 0, upper: 0.5, count: 1, meanPredicted: 0.1, observedRate: 0 },
 * //  { lower: 0.5, upper: 1, count: 2, meanPredicted: 0.85, observedRate: 1 }]
 */
export function calibrationTable(labels: ArrayLike<number>, probabilities: ArrayLike<number>, options: { bins?: number } = {}): CalibrationBin[] {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new OptionsError('OPTIONS_BINS', `calibration bins must be a positive integer, got ${String(bins)}`);
  }
  checkScoredLabels('calibration', labels, probabilities);
  const counts = new Float64Array(bins);
  const predictedSums = new Float64Array(bins);
  const churnedSums = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1, Math.max(0, probabilities[i]!));
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    counts[bin]!++;
    predictedSums[bin]! += p;
    churnedSums[bin]! += labels[i]!;
  }
  return Array.from({ length: bins }, (_, bin) => {
    const count = counts[bin]!;
    return {
      lower: bin / bins,
      upper: (bin + 1) / bins,
      count,
      meanPredicted: count > 0 ? predictedSums[bin]! / count : 0,
      observedRate: count > 0 ? churnedSums[bin]! / count : 0,
    };
  });
}
