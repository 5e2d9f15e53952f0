import { describe, expect, it } from 'vitest';
import { gainCurve } from '../../src/metrics/gain-curve.js';
import { prAuc } from '../../src/metrics/pr-auc.js';
import { precisionRecallCurve } from '../../src/metrics/precision-recall-curve.js';
import { profitCurve } from '../../src/metrics/profit-curve.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { rocCurve } from '../../src/metrics/roc-curve.js';
import { scoreHistogram } from '../../src/metrics/score-histogram.js';
import { thresholdByProfit } from '../../src/metrics/threshold-choice.js';
import { createRandom } from '../../src/train/random.js';

/** Noisy scores that rank churners higher on average, with ties. */
function scoredRows(count: number, seed: number): { labels: number[]; scores: number[] } {
  const random = createRandom(seed);
  const labels: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = random.next() < 0.2 ? 1 : 0;
    labels.push(label);
    scores.push(Math.round(Math.min(1, Math.max(0, 0.3 + 0.35 * label + 0.25 * random.nextGaussian())) * 50) / 50);
  }
  return { labels, scores };
}

describe('ROC and precision-recall curves', () => {
  it('matches the scikit-learn documentation example point by point', () => {
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({
      falsePositiveRate: [0, 0, 0.5, 0.5, 1],
      truePositiveRate: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1],
    });
  });

  it('has the trapezoid area rocAuc reports and the step sum prAuc reports, with ties', () => {
    const { labels, scores } = scoredRows(2000, 3);
    const roc = rocCurve(labels, scores);
    let area = 0;
    for (let k = 1; k < roc.thresholds.length; k++) {
      area += ((roc.falsePositiveRate[k]! - roc.falsePositiveRate[k - 1]!) * (roc.truePositiveRate[k]! + roc.truePositiveRate[k - 1]!)) / 2;
    }
    expect(area).toBeCloseTo(rocAuc(labels, scores), 12);

    const pr = precisionRecallCurve(labels, scores);
    let steps = 0;
    pr.recall.forEach((recall, k) => (steps += (recall - (pr.recall[k - 1] ?? 0)) * pr.precision[k]!));
    expect(steps).toBeCloseTo(prAuc(labels, scores), 12);
    expect(pr.baseRate).toBeCloseTo(labels.filter((label) => label === 1).length / labels.length, 12);
  });

  it('refuses one class like the AUCs do', () => {
    expect(() => rocCurve([1, 1], [0.2, 0.3])).toThrow(/ROC curve: undefined when no label is negative/);
    expect(() => precisionRecallCurve([0, 0], [0.2, 0.3])).toThrow(/no label is positive/);
  });
});

describe('gainCurve', () => {
  it('counts the churners reached by contacting the top share, with lift against random', () => {
    const curve = gainCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { steps: 4 });
    expect(curve.contacted).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(curve.churnersReached).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.lift[0]).toBeNull();
    expect(curve.lift.slice(1).map((lift) => Number(lift!.toFixed(4)))).toEqual([2, 1, 1.3333, 1]);
  });

  it('splits a block of tied scores evenly instead of in an arbitrary order', () => {
    // Four tied rows, two churners: contacting half of them reaches half of the churners.
    expect(gainCurve([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5], { steps: 2 }).churnersReached).toEqual([0, 0.5, 1]);
  });

  it('is perfect for a perfect ranking and never falls', () => {
    const perfect = gainCurve([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.9], { steps: 4 });
    expect(perfect.churnersReached).toEqual([0, 1, 1, 1, 1]);
    const { labels, scores } = scoredRows(500, 9);
    const reached = gainCurve(labels, scores).churnersReached;
    reached.forEach((value, k) => expect(value).toBeGreaterThanOrEqual(reached[k - 1] ?? 0));
  });
});

describe('profitCurve', () => {
  const economics = { actionCost: 10, retainedValue: 100, successRate: 0.5 };

  it('applies the campaign formula at each threshold of the grid', () => {
    expect(profitCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], economics, { steps: 2 })).toEqual({ thresholds: [0, 0.5, 1], profit: [60, 40, 0], flagged: [4, 1, 0] });
  });

  it('never exceeds the exact best profit of thresholdByProfit, and reaches it when the grid holds that threshold', () => {
    const { labels, scores } = scoredRows(1000, 5);
    const curve = profitCurve(labels, scores, economics, { steps: 50 });
    const best = thresholdByProfit(labels, scores, economics);
    expect(Math.max(...curve.profit)).toBeLessThanOrEqual(best.profit! + 1e-9);
    // Scores are multiples of 1/50, so the grid holds every distinct score.
    expect(Math.max(...curve.profit)).toBeCloseTo(best.profit!, 9);
  });

  it('refuses economics that make no sense', () => {
    expect(() => profitCurve([0, 1], [0.2, 0.8], { ...economics, successRate: 2 })).toThrow(/successRate must be a number in \[0, 1\]/);
  });
});

describe('scoreHistogram', () => {
  it('counts each class in equal-width bins, 1 in the last', () => {
    expect(scoreHistogram([0, 1, 1], [0.1, 0.8, 1], { bins: 2 })).toEqual({ edges: [0, 0.5, 1], churned: [0, 2], retained: [1, 0] });
  });
});
