import { checkScoredLabels } from './scored-labels.js';

/** Counts and the rates derived from them when rows scoring at least a threshold are flagged as churners. */
export interface ConfusionAtThreshold {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  accuracy: number;
  /** tp / (tp + fp); 0 when nothing is flagged (scikit-learn's zero_division=0). */
  precision: number;
  /** tp / (tp + fn); 0 when there are no churners. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/**
 * Confusion matrix at a threshold: a row is predicted to churn when its score is
 * `>= threshold`.
 *
 * @example
 * confusionAt([1, 0, 1, 0], [0.9, 0.6, 0.4, 0.1], 0.5);
 * // { tp: 1, fp: 1, tn: 1, fn: 1, accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5, threshold: 0.5 }
 */
export function confusionAt(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ConfusionAtThreshold {
  checkScoredLabels('confusion matrix', labels, scores);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const flagged = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  return { threshold, tp, fp, tn, fn, ...ratesFromCounts(tp, fp, tn, fn) };
}

/** Accuracy, precision, recall and F1 from counts, with 0 (not NaN) for empty denominators. */
export function ratesFromCounts(tp: number, fp: number, tn: number, fn: number): { accuracy: number; precision: number; recall: number; f1: number } {
  const total = tp + fp + tn + fn;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    accuracy: total > 0 ? (tp + tn) / total : 0,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}
