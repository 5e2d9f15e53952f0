import { brierScore } from './brier.js';
import { confusionAt, type ConfusionAtThreshold } from './confusion.js';
import { logLoss } from './log-loss.js';
import { prAuc } from './pr-auc.js';
import { rocAuc } from './roc-auc.js';

/** Every headline metric for one set of predictions, named as `churnkit eval --json` prints them. */
export interface Evaluation {
  rows: number;
  positives: number;
  auc: number;
  pr_auc: number;
  logloss: number;
  brier: number;
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
}

/**
 * Scores predicted churn probabilities against 0/1 outcomes: ranking quality
 * (ROC AUC, PR AUC), probability quality (log loss, Brier) and the confusion
 * matrix at the model's decision threshold.
 *
 * @example
 * const report = evaluatePredictions([0, 1, 1], [0.2, 0.7, 0.4], 0.5);
 * report.auc;        // 1
 * report.confusion;  // { tp: 1, fp: 0, tn: 1, fn: 1 }
 */
export function evaluatePredictions(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): Evaluation {
  const confusion: ConfusionAtThreshold = confusionAt(labels, probabilities, threshold);
  return {
    rows: labels.length,
    positives: confusion.tp + confusion.fn,
    auc: rocAuc(labels, probabilities),
    pr_auc: prAuc(labels, probabilities),
    logloss: logLoss(labels, probabilities),
    brier: brierScore(labels, probabilities),
    threshold,
    accuracy: confusion.accuracy,
    precision: confusion.precision,
    recall: confusion.recall,
    f1: confusion.f1,
    confusion: { tp: confusion.tp, fp: confusion.fp, tn: confusion.tn, fn: confusion.fn },
  };
}
