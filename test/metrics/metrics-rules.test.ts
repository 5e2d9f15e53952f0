/**
 * Rules of the model-quality metrics that a mutation audit of src/metrics found unpinned:
 * every metric's own input checks, the option checks, ties, values outside [0, 1], and the
 * fields of the evaluation summaries. Each fixture is small enough to work out by hand.
 */
import { describe, expect, it } from 'vitest';
import { brierScore } from '../../src/metrics/brier.js';
import { calibrationTable } from '../../src/metrics/calibration.js';
import { confusionAt } from '../../src/metrics/confusion.js';
import { evaluatePredictions } from '../../src/metrics/evaluation.js';
import { summarizeEvaluation } from '../../src/metrics/evaluation-summary.js';
import { gainCurve } from '../../src/metrics/gain-curve.js';
import { logLoss } from '../../src/metrics/log-loss.js';
import { populationStabilityIndex } from '../../src/metrics/population-stability.js';
import { prAuc } from '../../src/metrics/pr-auc.js';
import { precisionRecallCurve } from '../../src/metrics/precision-recall-curve.js';
import { profitCurve } from '../../src/metrics/profit-curve.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { rocCurve } from '../../src/metrics/roc-curve.js';
import { scoreHistogram } from '../../src/metrics/score-histogram.js';
import { mean, populationStd, sampleStd } from '../../src/metrics/summary-statistics.js';
import { thresholdByMaxF1, thresholdByProfit, type RetentionEconomics } from '../../src/metrics/threshold-choice.js';

const economics: RetentionEconomics = { actionCost: 10, retainedValue: 100, successRate: 0.5 };

/** Every function that takes one label and one score per row, called with the other arguments it needs. */
const metrics: [string, (labels: number[], scores: number[]) => unknown][] = [
  ['rocAuc', rocAuc],
  ['prAuc', prAuc],
  ['logLoss', logLoss],
  ['brierScore', brierScore],
  ['calibrationTable', (labels, scores) => calibrationTable(labels, scores)],
  ['confusionAt', (labels, scores) => confusionAt(labels, scores, 0.5)],
  ['thresholdByMaxF1', thresholdByMaxF1],
  ['thresholdByProfit', (labels, scores) => thresholdByProfit(labels, scores, economics)],
  ['evaluatePredictions', (labels, scores) => evaluatePredictions(labels, scores, 0.5)],
  ['summarizeEvaluation', (labels, scores) => summarizeEvaluation(labels, scores, 0.5, economics)],
  ['rocCurve', rocCurve],
  ['precisionRecallCurve', precisionRecallCurve],
  ['gainCurve', (labels, scores) => gainCurve(labels, scores)],
  ['profitCurve', (labels, scores) => profitCurve(labels, scores, economics)],
  ['scoreHistogram', (labels, scores) => scoreHistogram(labels, scores)],
];

describe('every metric checks its own input instead of returning NaN', () => {
  it.each(metrics)('%s refuses no rows, mismatched lengths, a label other than 0/1 and a non-finite score', (_name, metric) => {
    expect(() => metric([], [])).toThrow(expect.objectContaining({ code: 'METRIC_EMPTY' }));
    expect(() => metric([0, 1], [0.2])).toThrow(expect.objectContaining({ code: 'METRIC_LENGTH_MISMATCH' }));
    expect(() => metric([0, 2, 1], [0.1, 0.2, 0.3])).toThrow(expect.objectContaining({ code: 'METRIC_BAD_LABEL' }));
    expect(() => metric([0, 1], [0.2, Number.NaN])).toThrow(expect.objectContaining({ code: 'METRIC_BAD_SCORE' }));
    // Infinity is a number but not a score: it would sort above every real score.
    expect(() => metric([0, 1], [0.2, Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'METRIC_BAD_SCORE' }));
    expect(() => metric([0, 1], [Number.NEGATIVE_INFINITY, 0.2])).toThrow(expect.objectContaining({ code: 'METRIC_BAD_SCORE' }));
  });

  it('refuses a PR AUC without non-churners as well as without churners (it would be 1 whatever the scores)', () => {
    expect(() => prAuc([1, 1], [0.2, 0.3])).toThrow(/PR AUC: undefined when no label is negative/);
  });

  it('refuses a gain curve of one class: the share of churners reached is 0 / 0 without churners', () => {
    expect(() => gainCurve([0, 0], [0.2, 0.3])).toThrow(expect.objectContaining({ code: 'METRIC_ONE_CLASS' }));
    expect(() => gainCurve([1, 1], [0.2, 0.3])).toThrow(expect.objectContaining({ code: 'METRIC_ONE_CLASS' }));
  });
});

describe('bin and step counts must be whole numbers of at least 1', () => {
  it('refuses 0 or a fraction of steps for the gain and profit curves (OPTIONS_BAD_VALUE)', () => {
    for (const steps of [0, 2.5]) {
      expect(() => gainCurve([0, 1], [0.2, 0.8], { steps })).toThrow(expect.objectContaining({ code: 'OPTIONS_BAD_VALUE' }));
      expect(() => profitCurve([0, 1], [0.2, 0.8], economics, { steps })).toThrow(expect.objectContaining({ code: 'OPTIONS_BAD_VALUE' }));
    }
  });

  it('refuses 0 or a fraction of bins for the histogram and the reliability table (OPTIONS_BINS)', () => {
    for (const bins of [0, 2.5]) {
      expect(() => scoreHistogram([0, 1], [0.2, 0.8], { bins })).toThrow(expect.objectContaining({ code: 'OPTIONS_BINS' }));
      expect(() => calibrationTable([0, 1], [0.2, 0.8], { bins })).toThrow(expect.objectContaining({ code: 'OPTIONS_BINS' }));
    }
  });

  it('puts a probability in the bin whose lower edge it reaches, not the nearest edge', () => {
    // 0.4 is in [0, 0.5), 0.6 in [0.5, 1].
    expect(scoreHistogram([0, 1], [0.4, 0.6], { bins: 2 })).toMatchObject({ retained: [1, 0], churned: [0, 1] });
  });

  it('draws the score histogram in 20 bins unless told otherwise', () => {
    const histogram = scoreHistogram([0, 1], [0.1, 0.9]);
    expect(histogram.edges).toHaveLength(21);
    expect(histogram.edges[1]).toBeCloseTo(0.05, 12);
    // 0.1 · 20 = 2 and 0.9 · 20 = 18.
    expect(histogram.retained[2]).toBe(1);
    expect(histogram.churned[18]).toBe(1);
  });
});

describe('scores outside [0, 1]', () => {
  it('counts a probability below 0 in the first bin of the histogram and one above 1 in the last', () => {
    expect(scoreHistogram([0, 1], [-0.3, 1.7], { bins: 2 })).toEqual({ edges: [0, 0.5, 1], retained: [1, 0], churned: [0, 1] });
  });

  it('clips probabilities to [0, 1] in the reliability table, for the bin and for the mean prediction', () => {
    // 1.5 reads as 1 (last bin, mean 1), -0.2 as 0 (first bin, mean 0).
    expect(calibrationTable([1, 0], [1.5, -0.2], { bins: 2 })).toEqual([
      { lower: 0, upper: 0.5, count: 1, meanPredicted: 0, observedRate: 0 },
      { lower: 0.5, upper: 1, count: 1, meanPredicted: 1, observedRate: 1 },
    ]);
  });
});

describe('confusionAt', () => {
  it('reports recall as 0, not NaN, when there are no churners', () => {
    // One false positive (0.9) and one true negative (0.1): tp = fn = 0.
    expect(confusionAt([0, 0], [0.9, 0.1], 0.5)).toEqual({ threshold: 0.5, tp: 0, fp: 1, tn: 1, fn: 0, accuracy: 0.5, precision: 0, recall: 0, f1: 0 });
  });
});

describe('evaluatePredictions and summarizeEvaluation', () => {
  // At 0.5 only 0.9 is flagged: tp 1, fp 0, fn 2 (0.4, 0.3), tn 2, so accuracy 3/5,
  // precision 1, recall 1/3 and F1 2 · 1 · (1/3) / (4/3) = 1/2 all differ.
  const labels = [1, 1, 1, 0, 0];
  const probabilities = [0.9, 0.4, 0.3, 0.2, 0.1];

  it('puts each rate of the confusion matrix under its own name', () => {
    expect(evaluatePredictions(labels, probabilities, 0.5)).toEqual({
      rows: 5,
      positives: 3,
      // Every churner scores above every non-churner.
      auc: 1,
      pr_auc: 1,
      logloss: expect.closeTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.3) + Math.log(0.8) + Math.log(0.9)) / 5, 12),
      // (0.01 + 0.36 + 0.49 + 0.04 + 0.01) / 5.
      brier: expect.closeTo(0.182, 12),
      threshold: 0.5,
      accuracy: expect.closeTo(0.6, 12),
      precision: 1,
      recall: expect.closeTo(1 / 3, 12),
      f1: expect.closeTo(0.5, 12),
      confusion: { tp: 1, fp: 0, tn: 2, fn: 2 },
    });
  });

  it('reports ROC AUC as auc and average precision as pr_auc', () => {
    // The scikit-learn documentation example: ROC AUC 0.75, average precision 0.8333.
    expect(evaluatePredictions([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.5)).toMatchObject({ auc: expect.closeTo(0.75, 12), pr_auc: expect.closeTo(5 / 6, 12) });
  });

  it('summarises at the threshold it is given, with the 10-bin reliability table, and adds profit only given economics', () => {
    // At 0.35: 0.9 and 0.4 flagged, both churners.
    const summary = summarizeEvaluation(labels, probabilities, 0.35);
    expect(summary).toMatchObject({ threshold: 0.35, confusion: { tp: 2, fp: 0, tn: 2, fn: 1 } });
    expect(summary.calibration).toEqual(calibrationTable(labels, probabilities, { bins: 10 }));
    expect('profit' in summary).toBe(false);
    // Profit: 50 per churner flagged, 10 per customer flagged; best at 0.3, 3 · 50 − 3 · 10 = 120.
    expect(summarizeEvaluation(labels, probabilities, 0.35, economics).profit).toEqual({ ...thresholdByProfit(labels, probabilities, economics), ...economics });
    expect(summarizeEvaluation(labels, probabilities, 0.35, economics).profit).toMatchObject({ threshold: 0.3, profit: 120, flagged: 3 });
  });
});

describe('threshold choice', () => {
  it('gives a tie in F1 to the higher threshold (fewer customers contacted)', () => {
    // F1 = 2·tp / (flagged + 2): at 0.9, 2/3; at 0.8, 1/2; at 0.7, 2/5; at 0.6, 4/6 = 2/3 again.
    expect(thresholdByMaxF1([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6])).toEqual({ threshold: 0.9, f1: expect.closeTo(2 / 3, 12), flagged: 1 });
  });

  it('gives a tie in profit to the higher threshold, and flags nobody when the best profit is exactly 0', () => {
    // 20 per churner flagged (40 × 0.5), 10 per customer flagged: at 0.9, 20 − 10 = 10; at 0.8, 20 − 20 = 0; at 0.7, 40 − 30 = 10.
    expect(thresholdByProfit([1, 0, 1], [0.9, 0.8, 0.7], { actionCost: 10, retainedValue: 40, successRate: 0.5 })).toMatchObject({ threshold: 0.9, profit: 10, flagged: 1 });
    // 50 per churner, 50 per customer: 0 at 0.8, less below; contacting nobody makes the same 0 for no effort.
    expect(thresholdByProfit([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { actionCost: 50, retainedValue: 100, successRate: 0.5 })).toEqual({
      threshold: Infinity,
      f1: 0,
      profit: 0,
      flagged: 0,
    });
  });

  it('accepts an action that costs nothing and a customer worth nothing', () => {
    expect(() => thresholdByProfit([0, 1], [0.2, 0.8], { ...economics, actionCost: 0 })).not.toThrow();
    expect(() => thresholdByProfit([0, 1], [0.2, 0.8], { ...economics, retainedValue: 0 })).not.toThrow();
    expect(() => thresholdByProfit([0, 1], [0.2, 0.8], { ...economics, successRate: 0 })).not.toThrow();
  });

  it.each([
    ['actionCost', -1, 'OPTIONS_ACTION_COST'],
    ['actionCost', Number.NaN, 'OPTIONS_ACTION_COST'],
    ['actionCost', Number.POSITIVE_INFINITY, 'OPTIONS_ACTION_COST'],
    ['retainedValue', -1, 'OPTIONS_RETAINED_VALUE'],
    ['retainedValue', Number.NaN, 'OPTIONS_RETAINED_VALUE'],
    ['retainedValue', Number.POSITIVE_INFINITY, 'OPTIONS_RETAINED_VALUE'],
    ['successRate', -0.1, 'OPTIONS_SUCCESS_RATE'],
    ['successRate', Number.NaN, 'OPTIONS_SUCCESS_RATE'],
  ] as const)('refuses economics with %s = %s (%s), for the best threshold and for the profit curve', (field, value, code) => {
    const bad = { ...economics, [field]: value };
    expect(() => thresholdByProfit([0, 1], [0.2, 0.8], bad)).toThrow(expect.objectContaining({ code }));
    expect(() => profitCurve([0, 1], [0.2, 0.8], bad)).toThrow(expect.objectContaining({ code }));
  });
});

describe('profitCurve', () => {
  it('contacts the customers whose score equals a grid threshold', () => {
    // At 0: both, 50 − 20 = 30; at 0.5: the churner scoring exactly 0.5, 50 − 10 = 40; at 1: nobody.
    expect(profitCurve([1, 0], [0.5, 0.2], economics, { steps: 2 })).toEqual({ thresholds: [0, 0.5, 1], profit: [30, 40, 0], flagged: [2, 1, 0] });
  });
});

describe('populationStabilityIndex', () => {
  it('floors an empty bin\'s share at 1e-4', () => {
    // Bin 2 empty live, bin 3 empty in the reference: each adds (0.5 − 1e-4) · ln(0.5 / 1e-4).
    expect(populationStabilityIndex([0.5, 0.5, 0], [50, 0, 50])).toBeCloseTo(2 * 0.4999 * Math.log(5000), 12);
  });

  it('reads a bin missing from the live counts as empty', () => {
    // Live: all in bin 1 (share 1 against 0.5); bin 2 missing, floored at 1e-4.
    expect(populationStabilityIndex([0.5, 0.5], [10])).toBeCloseTo(0.5 * Math.log(2) + 0.4999 * Math.log(5000), 12);
  });
});

describe('summary statistics', () => {
  it('divides the squared deviations by n for the population spread and by n − 1 for the sample spread', () => {
    expect(mean([0.9, 0.8])).toBeCloseTo(0.85, 12);
    // Deviations ±1 around 2: squares sum to 2.
    expect(populationStd([1, 3])).toBe(1);
    // Deviations ±2 around 3: squares sum to 8, 8 / 2 = 4, square root 2.
    expect(populationStd([1, 5])).toBe(2);
    expect(sampleStd([1, 3])).toBeCloseTo(Math.SQRT2, 12);
  });

  it('gives a sample spread of 0, not NaN, for a single value', () => {
    expect(sampleStd([0.7])).toBe(0);
    expect(sampleStd([])).toBe(0);
  });
});
