import { InputError, OptionsError } from '../errors.js';
import { createRandom } from './random.js';

/** One cross-validation fold: rows to fit on and rows to score. */
export interface Fold {
  train: number[];
  test: number[];
}

/**
 * Stratified k-fold indices: every row is in exactly one test part, and each test
 * part has (to within one row per class) the data's churn rate. Each class is
 * shuffled with the seed and dealt round-robin over the folds, continuing where
 * the previous class stopped so fold sizes differ by at most one.
 *
 * @example
 * for (const { train, test } of stratifiedFolds(labels, 5, 42)) { ... }
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed = 42): Fold[] {
  if (!Number.isInteger(folds) || folds < 2) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `folds is ${folds}; expected an integer >= 2`);
  }
  if (folds > labels.length) {
    throw new InputError('INPUT_TOO_FEW_ROWS', `${labels.length} rows cannot be split into ${folds} folds; expected at least one row per fold`);
  }
  const random = createRandom(seed);
  const foldOf = new Int32Array(labels.length);
  let next = 0;
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === label) members.push(i);
    random.shuffle(members);
    for (const index of members) {
      foldOf[index] = next;
      next = (next + 1) % folds;
    }
  }
  return Array.from({ length: folds }, (_, fold) => {
    const result: Fold = { train: [], test: [] };
    for (let i = 0; i < labels.length; i++) (foldOf[i] === fold ? result.test : result.train).push(i);
    return result;
  });
}
