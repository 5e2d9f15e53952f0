import { describe, expect, it } from 'vitest';
import { median, pairedRatio, quantile, roundFigure } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('interpolates quantiles between order statistics and never yields NaN', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.99)).toBeCloseTo(4.96, 10);
    expect(quantile([], 0.5)).toBe(0);
    expect(median([7])).toBe(7);
  });

  it('summarises rounds as median, min and max', () => {
    expect(roundFigure([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9, rounds: [3, 9, 1] });
  });

  it('takes ratios round by round, so a slow round for both backends does not skew the ratio', () => {
    const peer = roundFigure([10, 100, 12]);
    const churnkit = roundFigure([1, 10, 1.2]);
    const ratio = pairedRatio(peer, churnkit);
    expect(ratio.rounds).toEqual([10, 10, 10]);
    expect(ratio.median).toBe(10);
  });

  it('skips rounds whose denominator is zero instead of producing Infinity', () => {
    expect(pairedRatio(roundFigure([1, 2]), roundFigure([0, 1])).rounds).toEqual([2]);
  });
});
