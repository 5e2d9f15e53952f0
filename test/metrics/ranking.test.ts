import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { prAuc } from '../../src/metrics/pr-auc.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';

describe('rocAuc', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('counts a tie between a churner and a non-churner as one half', () => {
    // Pairs won by positives: 0.9 beats both (2), 0.8 ties 0.8 and beats 0.3 (1.5), 0.1 loses (0) → 3.5 / 6.
    expect(rocAuc([1, 0, 1, 0, 1], [0.9, 0.8, 0.8, 0.3, 0.1])).toBeCloseTo(3.5 / 6, 12);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one, whatever the score scale', () => {
    expect(rocAuc([0, 0, 1], [-3, 2, 40])).toBe(1);
    expect(rocAuc([1, 1, 0], [-3, 2, 40])).toBe(0);
  });

  it('refuses one class, mismatched lengths, bad labels and non-finite scores instead of returning NaN', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/no label is negative/);
    expect(() => rocAuc([0, 1], [0.2])).toThrow(/2 labels but 1 scores/);
    expect(() => rocAuc([0, 2], [0.2, 0.3])).toThrow(/row 2: ROC AUC: label 2 is not 0 or 1/);
    expect(() => rocAuc([0, 1], [0.2, Number.NaN])).toThrow(InputError);
    expect(() => rocAuc([], [])).toThrow(/no rows/);
  });
});

describe('prAuc (average precision)', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333, 9);
  });

  it('steps through tied scores as one point, without interpolating', () => {
    // Points (recall, precision): (1/3, 1), (2/3, 2/3), (2/3, 1/2), (1, 3/5).
    expect(prAuc([1, 0, 1, 0, 1], [0.9, 0.8, 0.8, 0.3, 0.1])).toBeCloseTo(1 / 3 + (1 / 3) * (2 / 3) + (1 / 3) * 0.6, 12);
    expect(prAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('is undefined without churners', () => {
    expect(() => prAuc([0, 0], [0.2, 0.3])).toThrow(/no label is positive/);
  });
});
