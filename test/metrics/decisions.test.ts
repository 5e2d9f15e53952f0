import { describe, expect, it } from 'vitest';
import { confusionAt } from '../../src/metrics/confusion.js';
import { evaluatePredictions } from '../../src/metrics/evaluation.js';
import { thresholdByMaxF1, thresholdByProfit } from '../../src/metrics/threshold-choice.js';

const labels = [0, 0, 1, 1];
const scores = [0.1, 0.4, 0.35, 0.8];

describe('confusionAt', () => {
  it('flags rows scoring at or above the threshold', () => {
    expect(confusionAt([1, 0, 1, 0], [0.9, 0.6, 0.5, 0.1], 0.5)).toEqual({
      threshold: 0.5, tp: 2, fp: 1, tn: 1, fn: 0, accuracy: 0.75, precision: 2 / 3, recall: 1, f1: 0.8,
    });
  });

  it('reports precision and F1 as 0, not NaN, when nothing is flagged', () => {
    expect(confusionAt([1, 0], [0.2, 0.1], 0.5)).toMatchObject({ tp: 0, fp: 0, tn: 1, fn: 1, precision: 0, recall: 0, f1: 0, accuracy: 0.5 });
  });
});

describe('thresholdByMaxF1', () => {
  it('picks the distinct score with the best F1', () => {
    // F1 at 0.8, 0.4, 0.35, 0.1: 2/3, 1/2, 4/5, 2/3.
    expect(thresholdByMaxF1(labels, scores)).toEqual({ threshold: 0.35, f1: expect.closeTo(0.8, 12), flagged: 3 });
  });
});

describe('thresholdByProfit', () => {
  it('maximises TP × successRate × retainedValue − flagged × actionCost', () => {
    // Gain per retained churner 100 × 0.5 = 50. Profit at 0.8: 50−10, at 0.4: 50−20, at 0.35: 100−30, at 0.1: 100−40.
    const choice = thresholdByProfit(labels, scores, { actionCost: 10, retainedValue: 100, successRate: 0.5 });
    expect(choice).toEqual({ threshold: 0.35, profit: 70, flagged: 3, f1: expect.closeTo(0.8, 12) });
  });

  it('prefers a stricter threshold when contacting loyal customers is expensive', () => {
    const choice = thresholdByProfit(labels, scores, { actionCost: 40, retainedValue: 100, successRate: 0.5 });
    // 0.8: 50−40 = 10; 0.35: 100−120 < 0.
    expect(choice).toMatchObject({ threshold: 0.8, profit: 10, flagged: 1 });
  });

  it('flags nobody when no threshold makes money', () => {
    expect(thresholdByProfit(labels, scores, { actionCost: 100, retainedValue: 10, successRate: 1 })).toEqual({ threshold: Infinity, profit: 0, f1: 0, flagged: 0 });
  });

  it('rejects a success rate outside [0, 1]', () => {
    expect(() => thresholdByProfit(labels, scores, { actionCost: 1, retainedValue: 10, successRate: 1.5 })).toThrow(/successRate must be a number in \[0, 1\], got 1.5/);
  });
});

describe('evaluatePredictions', () => {
  it('collects every headline metric under the names eval --json prints', () => {
    const report = evaluatePredictions([0, 1, 1], [0.2, 0.7, 0.4], 0.5);
    expect(report).toMatchObject({ rows: 3, positives: 2, auc: 1, pr_auc: 1, threshold: 0.5, confusion: { tp: 1, fp: 0, tn: 1, fn: 1 } });
    expect(report.logloss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3, 12);
    expect(report.brier).toBeCloseTo((0.04 + 0.09 + 0.36) / 3, 12);
  });
});
