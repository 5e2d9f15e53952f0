import { checkScoredLabels } from './scored-labels.js';

/**
 * Brier score: mean squared difference between the predicted probability and
 * the 0/1 outcome (0 is perfect, 0.25 is a constant 0.5 guess).
 *
 * @example
 * brierScore([1, 0], [0.9, 0.2]); // (0.01 + 0.04) / 2 = 0.025
 */
export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkScoredLabels('Brier score', labels, probabilities);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const error = probabilities[i]! - labels[i]!;
    total += error * error;
  }
  return total / labels.length;
}
