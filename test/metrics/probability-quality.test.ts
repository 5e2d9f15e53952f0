import { describe, expect, it } from 'vitest';
import { brierScore } from '../../src/metrics/brier.js';
import { calibrationTable } from '../../src/metrics/calibration.js';
import { logLoss } from '../../src/metrics/log-loss.js';

describe('logLoss', () => {
  it('matches the scikit-learn documentation example', () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) with spam = 1.
    expect(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.21616187468057912, 12);
  });

  it('clips certain-and-wrong predictions to a finite loss', () => {
    const loss = logLoss([1, 0], [0, 1]);
    expect(Number.isFinite(loss)).toBe(true);
    // 1 - 1e-15 rounds in float64, so the second row costs slightly more than -ln(1e-15).
    expect(loss).toBeCloseTo(-Math.log(1e-15), 2);
  });
});

describe('brierScore', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(brierScore([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])).toBeCloseTo(0.0375, 12);
  });
});

describe('calibrationTable', () => {
  it('reports the mean prediction and the observed churn rate per equal-width bin', () => {
    const table = calibrationTable([0, 0, 1, 1, 1], [0.05, 0.15, 0.55, 0.95, 1], { bins: 2 });
    expect(table).toHaveLength(2);
    expect(table[0]).toEqual({ lower: 0, upper: 0.5, count: 2, meanPredicted: expect.closeTo(0.1, 12), observedRate: 0 });
    expect(table[1]).toMatchObject({ lower: 0.5, upper: 1, count: 3, observedRate: 1 });
    expect(table[1]!.meanPredicted).toBeCloseTo(2.5 / 3, 12);
  });

  it('keeps empty bins with zero counts rather than NaN rates', () => {
    const table = calibrationTable([1], [0.95]);
    expect(table).toHaveLength(10);
    expect(table[3]).toEqual({ lower: 0.3, upper: 0.4, count: 0, meanPredicted: 0, observedRate: 0 });
    expect(table[9]!.count).toBe(1);
  });

  it('rejects a bin count that is not a positive integer', () => {
    expect(() => calibrationTable([1], [0.5], { bins: 0 })).toThrow(/positive integer/);
  });
});
