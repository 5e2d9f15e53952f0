/**
 * Cumulative true and false positives when flagging every row whose score is at
 * least each distinct score, highest first — the one pass that ROC AUC, PR AUC
 * and threshold choice all walk. Equal scores form one step, so tied rows are
 * never split by an arbitrary order (scikit-learn's `_binary_clf_curve`).
 */
export interface BinaryCurve {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** Positives with score >= thresholds[k]. */
  truePositives: Float64Array;
  /** Negatives with score >= thresholds[k]. */
  falsePositives: Float64Array;
  positives: number;
  negatives: number;
}

/** Labels must be 0/1 and scores finite (see `checkScoredLabels`). */
export function binaryCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (labels[row] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      thresholds.push(scores[row]!);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    truePositives: Float64Array.from(truePositives),
    falsePositives: Float64Array.from(falsePositives),
    positives: tp,
    negatives: fp,
  };
}
