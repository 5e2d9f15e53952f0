import { evaluatePredictions, type Evaluation } from '../metrics/evaluation.js';
import type { RawRecord } from '../model/feature-spec.js';
import type { Fold } from './stratified-folds.js';
import { train } from './train.js';
import type { TrainOptions } from './train-options.js';

/** One fold's model scored on the rows it never saw. */
export interface FoldOutcome {
  /** 0-based fold index. */
  fold: number;
  trainRows: number;
  /** Held-out metrics at the fold model's own threshold. */
  evaluation: Evaluation;
  /** The fold model's churn probability for each of `Fold.test`'s rows, in that order. */
  probabilities: Float32Array;
}

/**
 * Cross-validation one fold at a time: each fold trains exactly as `train` would
 * (its own preprocessing, validation part and threshold) on the other folds'
 * rows and is scored on its own. A generator, so a caller can show progress or
 * stop between folds (a time budget) without the loop knowing about either.
 *
 * @example
 * const folds = stratifiedFolds(labels, 5, 42);
 * for await (const outcome of crossValidateFolds(rows, labels, folds, { engine, target: 'Churn' })) {
 *   console.log(outcome.fold, outcome.evaluation.auc);
 * }
 */
export async function* crossValidateFolds(
  rows: readonly RawRecord[],
  labels: ArrayLike<number>,
  folds: readonly Fold[],
  options: TrainOptions,
): AsyncGenerator<FoldOutcome> {
  for (const [index, fold] of folds.entries()) {
    const { model } = await train(fold.train.map((row) => rows[row]!), options);
    try {
      const probabilities = model.predictBatch(fold.test.map((row) => rows[row]!));
      const heldOutLabels = Uint8Array.from(fold.test, (row) => labels[row]!);
      yield { fold: index, trainRows: fold.train.length, evaluation: evaluatePredictions(heldOutLabels, probabilities, model.threshold), probabilities };
    } finally {
      model.dispose();
    }
  }
}
