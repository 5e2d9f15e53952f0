import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels, requireBothClasses } from './scored-labels.js';

/** The ROC curve: one point per distinct score, from (0, 0) to (1, 1). */
export interface RocCurve {
  /** False positive rate: share of retained customers flagged. */
  falsePositiveRate: number[];
  /** True positive rate (recall): share of churners flagged. */
  truePositiveRate: number[];
  /** The score at or above which each point flags customers; the first point (nobody flagged) has Infinity. */
  thresholds: number[];
}

/**
 * ROC curve points, the trapezoids under which are `rocAuc` (same walk over
 * distinct scores, so ties never split).
 *
 * @example
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { falsePositiveRate: [0, 0, 0.5, 0.5, 1], truePositiveRate: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  checkScoredLabels('ROC curve', labels, scores);
  const curve = binaryCurve(labels, scores);
  requireBothClasses('ROC curve', curve.positives, curve.negatives);
  const result: RocCurve = { falsePositiveRate: [0], truePositiveRate: [0], thresholds: [Infinity] };
  for (let k = 0; k < curve.thresholds.length; k++) {
    result.falsePositiveRate.push(curve.falsePositives[k]! / curve.negatives);
    result.truePositiveRate.push(curve.truePositives[k]! / curve.positives);
    result.thresholds.push(curve.thresholds[k]!);
  }
  return result;
}
