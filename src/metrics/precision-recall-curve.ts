import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels, requireBothClasses } from './scored-labels.js';

/** The precision-recall curve: one point per distinct score, highest score first. */
export interface PrecisionRecallCurve {
  recall: number[];
  precision: number[];
  thresholds: number[];
  /** Share of churners among all rows: the precision of contacting customers at random. */
  baseRate: number;
}

/**
 * Precision-recall points whose step sum is `prAuc` (average precision): the
 * curve is drawn as steps, since precision does not move linearly between
 * points.
 *
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { recall: [0.5, 0.5, 1, 1], precision: [1, 0.5, 0.667, 0.5], thresholds: [0.8, 0.4, 0.35, 0.1], baseRate: 0.5 }
 */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  checkScoredLabels('precision-recall curve', labels, scores);
  const curve = binaryCurve(labels, scores);
  requireBothClasses('precision-recall curve', curve.positives, curve.negatives);
  const result: PrecisionRecallCurve = { recall: [], precision: [], thresholds: [], baseRate: curve.positives / (curve.positives + curve.negatives) };
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    result.recall.push(tp / curve.positives);
    result.precision.push(tp / (tp + curve.falsePositives[k]!));
    result.thresholds.push(curve.thresholds[k]!);
  }
  return result;
}
