import { describe, expect, it } from 'vitest';
import { chooseConfiguration } from '../../src/tune/selection-rule.js';

describe('chooseConfiguration: the defaults unless beaten by more than the noise', () => {
  it('takes a configuration that beats the defaults on every fold by far more than the spread', () => {
    const selection = chooseConfiguration([
      [0.9, 0.91, 0.92],
      [0.905, 0.915, 0.925],
      [0.95, 0.96, 0.94],
    ]);
    expect(selection).toMatchObject({ chosen: 2, best: 2, keptDefault: false });
    expect(selection.meanGain).toBeCloseTo(0.04, 12);
    expect(selection.standardError).toBeCloseTo(0.01, 12);
  });

  it('keeps the defaults when the best mean is ahead only by luck of the folds', () => {
    // Trial 2 wins two folds and loses one: a mean gain of 0.003, standard error 0.0067.
    const selection = chooseConfiguration([
      [0.9, 0.9, 0.9],
      [0.91, 0.909, 0.89],
    ]);
    expect(selection).toMatchObject({ chosen: 0, best: 1, keptDefault: true });
    expect(selection.meanGain).toBeCloseTo(0.003, 12);
    expect(selection.meanGain).toBeLessThan(selection.standardError);
  });

  it('keeps the defaults when they score best, and prefers the earlier of equal means', () => {
    expect(chooseConfiguration([[0.9, 0.92], [0.89, 0.91]])).toEqual({ chosen: 0, best: 0, meanGain: 0, standardError: 0, keptDefault: false });
    expect(chooseConfiguration([[0.9, 0.92], [0.92, 0.9]]).chosen).toBe(0);
  });

  it('takes a configuration that gains the same small amount on every fold (zero spread)', () => {
    expect(chooseConfiguration([[0.8, 0.81, 0.82], [0.801, 0.811, 0.821]])).toMatchObject({ chosen: 1, keptDefault: false });
  });

  it('refuses configurations scored on different folds or with non-finite scores', () => {
    expect(() => chooseConfiguration([[0.9, 0.9], [0.9]])).toThrow(/same folds/);
    expect(() => chooseConfiguration([[0.9, Number.NaN]])).toThrow(/finite/);
    expect(() => chooseConfiguration([])).toThrow(/same folds/);
  });
});
