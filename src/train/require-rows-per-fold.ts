import { InputError, type InputLocation } from '../errors.js';

/**
 * Every held-out fold of a stratified k-fold split needs both classes, or its
 * AUC is undefined: refuses, naming the file and target column, a file with
 * fewer than `folds` rows of its rarer class.
 */
export function requireRowsPerFold(labels: ArrayLike<number>, folds: number, where: InputLocation = {}): void {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const rarest = Math.min(positives, labels.length - positives);
  if (rarest >= folds) return;
  const label = positives <= labels.length - positives ? '1 (churned)' : '0 (retained)';
  throw new InputError(
    'INPUT_TOO_FEW_ROWS',
    `only ${rarest} rows are labelled ${label}; ${folds}-fold cross-validation needs at least ${folds} of each class (one per fold)`,
    where,
  );
}
