import { OptionsError } from '../errors.js';
import { checkScoredLabels } from './scored-labels.js';

/** Counts of churn probabilities in equal-width bins on [0, 1], per class. */
export interface ScoreHistogram {
  /** bins + 1 edges, 0 to 1. */
  edges: number[];
  churned: number[];
  retained: number[];
}

/**
 * Histogram of predicted probabilities, churners and retained customers apart:
 * a model that separates them well puts the two humps at opposite ends. The
 * last bin includes 1.
 *
 * @example
 * scoreHistogram([0, 1, 1], [0.1, 0.8, 0.95], { bins: 2 });
 * // { edges: [0, 0.5, 1], churned: [0, 2], retained: [1, 0] }
 */
export function scoreHistogram(labels: ArrayLike<number>, probabilities: ArrayLike<number>, options: { bins?: number } = {}): ScoreHistogram {
  const bins = options.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 1) throw new OptionsError('OPTIONS_BINS', `histogram bins must be a positive integer, got ${String(bins)}`);
  checkScoredLabels('score histogram', labels, probabilities);
  const churned = new Array<number>(bins).fill(0);
  const retained = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(probabilities[i]! * bins)));
    (labels[i] === 1 ? churned : retained)[bin]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, k) => k / bins), churned, retained };
}
