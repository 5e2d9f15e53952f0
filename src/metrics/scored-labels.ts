import { InputError } from '../errors.js';

/**
 * Checks the two arrays every metric takes: one 0/1 label and one finite score
 * per row, same length, at least one row. Metrics refuse bad input instead of
 * returning NaN, because a NaN AUC in a report reads like a model problem when
 * it is a data problem.
 */
export function checkScoredLabels(metric: string, labels: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (labels.length !== scores.length) {
    throw new InputError('METRIC_LENGTH_MISMATCH', `${metric}: got ${labels.length} labels but ${scores.length} scores (expected one score per label)`);
  }
  if (labels.length === 0) {
    throw new InputError('METRIC_EMPTY', `${metric}: no rows to score (expected at least one label and score)`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) {
      throw new InputError('METRIC_BAD_LABEL', `${metric}: label ${String(label)} is not 0 or 1`, { row: i + 1 });
    }
    if (!Number.isFinite(scores[i])) {
      throw new InputError('METRIC_BAD_SCORE', `${metric}: score ${String(scores[i])} is not a finite number`, { row: i + 1 });
    }
  }
}

/** Throws when a ranking metric gets only one class, where it is undefined (scikit-learn raises too). */
export function requireBothClasses(metric: string, positives: number, negatives: number): void {
  if (positives === 0 || negatives === 0) {
    const missing = positives === 0 ? 'positive (1)' : 'negative (0)';
    throw new InputError('METRIC_ONE_CLASS', `${metric}: undefined when no label is ${missing}; expected both classes among the ${positives + negatives} rows`);
  }
}
