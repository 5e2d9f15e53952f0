import { calibrationTable, type CalibrationBin } from './calibration.js';
import { evaluatePredictions, type Evaluation } from './evaluation.js';
import { thresholdByProfit, type RetentionEconomics, type ThresholdChoice } from './threshold-choice.js';

/** What `churnkit eval --json` prints, and what `churnkit report` shows and embeds. */
export interface EvaluationSummary extends Evaluation {
  calibration: CalibrationBin[];
  /** The most profitable threshold for the given economics, with the economics; absent without them. */
  profit?: ThresholdChoice & RetentionEconomics;
}

/**
 * The headline evaluation of one set of predictions: `evaluatePredictions` at
 * the model's threshold, the reliability table and, given the economics of a
 * retention action, the most profitable threshold. One function, so `eval` and
 * `report` cannot drift apart.
 *
 * @example
 * const summary = summarizeEvaluation(labels, model.predictBatch(records), model.threshold, { actionCost: 10, retainedValue: 100, successRate: 0.3 });
 * summary.auc; summary.calibration[9].observedRate; summary.profit?.threshold;
 */
export function summarizeEvaluation(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold: number,
  economics?: RetentionEconomics,
): EvaluationSummary {
  const evaluation = evaluatePredictions(labels, probabilities, threshold);
  const calibration = calibrationTable(labels, probabilities);
  if (!economics) return { ...evaluation, calibration };
  return { ...evaluation, calibration, profit: { ...thresholdByProfit(labels, probabilities, economics), ...economics } };
}
