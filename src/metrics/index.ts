/** Model quality metrics: pure functions over 0/1 labels and scores, runtime-neutral. */
export { rocAuc } from './roc-auc.js';
export { prAuc } from './pr-auc.js';
export { logLoss } from './log-loss.js';
export { brierScore } from './brier.js';
export { calibrationTable, type CalibrationBin } from './calibration.js';
export { confusionAt, type ConfusionAtThreshold } from './confusion.js';
export { thresholdByMaxF1, thresholdByProfit, type ThresholdChoice, type RetentionEconomics } from './threshold-choice.js';
export { evaluatePredictions, type Evaluation } from './evaluation.js';
export { populationStabilityIndex, driftBand, DRIFT_BANDS, type DriftBand } from './population-stability.js';
