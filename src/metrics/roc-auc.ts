import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels, requireBothClasses } from './scored-labels.js';

/**
 * Area under the ROC curve: the probability that a random churner scores above a
 * random non-churner, ties counting one half. Computed as the trapezoid area
 * under the curve through each distinct score, which equals the Mann-Whitney
 * statistic with average ranks for ties (scikit-learn's `roc_auc_score`).
 *
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkScoredLabels('ROC AUC', labels, scores);
  const curve = binaryCurve(labels, scores);
  requireBothClasses('ROC AUC', curve.positives, curve.negatives);
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const fp = curve.falsePositives[k]!;
    area += ((fp - previousFp) * (tp + previousTp)) / 2;
    previousTp = tp;
    previousFp = fp;
  }
  return area / (curve.positives * curve.negatives);
}
