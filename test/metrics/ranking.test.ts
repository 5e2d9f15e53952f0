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

describe('ranking metrics against their definitions on random data with many ties', () => {
  // Scores rounded to one decimal so ties are common.
  let state = 7;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const labels = Array.from({ length: 300 }, () => (random() < 0.3 ? 1 : 0));
  const scores = labels.map((label) => Math.round((random() + label * 0.4) * 10) / 10);

  it('ROC AUC equals the share of churner/non-churner pairs ranked right, ties counting one half', () => {
    let wins = 0;
    let pairs = 0;
    labels.forEach((a, i) => {
      if (a !== 1) return;
      labels.forEach((b, j) => {
        if (b !== 0) return;
        pairs++;
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      });
    });
    expect(rocAuc(labels, scores)).toBeCloseTo(wins / pairs, 12);
  });

  it('average precision equals the sum over distinct thresholds of recall gained times precision', () => {
    const thresholds = [...new Set(scores)].sort((a, b) => b - a);
    const positives = labels.filter((label) => label === 1).length;
    let expected = 0;
    let previousRecall = 0;
    for (const threshold of thresholds) {
      const flagged = labels.filter((_, i) => scores[i]! >= threshold);
      const tp = flagged.filter((label) => label === 1).length;
      expected += (tp / positives - previousRecall) * (tp / flagged.length);
      previousRecall = tp / positives;
    }
    expect(prAuc(labels, scores)).toBeCloseTo(expected, 12);
  });

  it('does not depend on the order of the rows', () => {
    const order = labels.map((_, i) => i).reverse();
    expect(rocAuc(order.map((i) => labels[i]!), order.map((i) => scores[i]!))).toBeCloseTo(rocAuc(labels, scores), 14);
    expect(prAuc(order.map((i) => labels[i]!), order.map((i) => scores[i]!))).toBeCloseTo(prAuc(labels, scores), 14);
  });
});
