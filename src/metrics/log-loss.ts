import { checkScoredLabels } from './scored-labels.js';

/**
 * Probabilities are clipped to [1e-15, 1 - 1e-15] before taking logs, so one
 * confidently wrong row costs about 34.5 rather than Infinity (scikit-learn's
 * historical default eps).
 */
const CLIP = 1e-15;

/**
 * Mean binary cross-entropy of predicted churn probabilities, natural log.
 *
 * @example
 * logLoss([1, 0], [0.9, 0.2]); // (-ln 0.9 - ln 0.8) / 2 ≈ 0.1643
 */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkScoredLabels('log loss', labels, probabilities);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - CLIP, Math.max(CLIP, probabilities[i]!));
    total -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return total / labels.length;
}
