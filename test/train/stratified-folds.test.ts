import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/errors.js';
import { stratifiedFolds } from '../../src/train/stratified-folds.js';

describe('stratifiedFolds', () => {
  const labels = Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0));

  it('puts every row in exactly one test part, with the churn rate kept per fold', () => {
    const folds = stratifiedFolds(labels, 5, 1);
    const seen = folds.flatMap((fold) => fold.test).sort((a, b) => a - b);
    expect(seen).toEqual(labels.map((_, i) => i));
    for (const fold of folds) {
      expect(fold.train.length + fold.test.length).toBe(103);
      expect(fold.test.some((i) => fold.train.includes(i))).toBe(false);
      const positives = fold.test.filter((i) => labels[i] === 1).length;
      expect(positives === 4 || positives === 5).toBe(true);
      expect(fold.test.length === 20 || fold.test.length === 21).toBe(true);
    }
  });

  it('is reproducible per seed', () => {
    expect(stratifiedFolds(labels, 3, 8)).toEqual(stratifiedFolds(labels, 3, 8));
    expect(stratifiedFolds(labels, 3, 8)).not.toEqual(stratifiedFolds(labels, 3, 9));
  });

  it('rejects fewer than two folds', () => {
    expect(() => stratifiedFolds(labels, 1)).toThrow(OptionsError);
  });
});
