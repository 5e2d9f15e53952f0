import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels, requireBothClasses } from './scored-labels.js';

/**
 * Area under the precision-recall curve as average precision: the sum over
 * distinct scores of (recall gained) x (precision there), a step function with
 * no interpolation — scikit-learn's `average_precision_score`. Trapezoids would
 * overstate it, since precision does not move linearly between points.
 *
 * @example
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkScoredLabels('PR AUC', labels, scores);
  const curve = binaryCurve(labels, scores);
  requireBothClasses('PR AUC', curve.positives, curve.negatives);
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const recall = tp / curve.positives;
    const precision = tp / (tp + curve.falsePositives[k]!);
    averagePrecision += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return averagePrecision;
}
