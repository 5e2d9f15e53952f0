import { InputError } from '../errors.js';

/**
 * Throws, naming the file and target column, when every label is the same:
 * training has nothing to separate and ROC/PR AUC are undefined, so saying so
 * up front beats a metric error without a file name.
 */
export function requireBothClasses(labels: ArrayLike<number>, where: { file: string; column: string }): void {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  if (positives > 0 && positives < labels.length) return;
  throw new InputError(
    'INPUT_ONE_CLASS',
    `all ${labels.length} rows are labelled ${positives === 0 ? '0 (retained)' : '1 (churned)'}; expected both churned (1) and retained (0) customers`,
    where,
  );
}
