import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { OptionsError } from '../../src/errors.js';
import type { SearchSpace } from '../../src/tune/search-space.js';
import { tune } from '../../src/tune/tune.js';
import { syntheticCustomers } from '../model/synthetic-customers.js';

/** A space of small, quick networks, so a search runs in seconds on the pure-JS engine. */
const SMALL_SPACE: SearchSpace = {
  models: ['mlp', 'logreg'],
  hidden: [[4], [8], [8, 4]],
  mlp: { learningRate: [0.005, 0.02], batchSize: [32, 64], l2: [0, 1e-3], budget: [{ epochs: 4, patience: 2 }, { epochs: 8, patience: 3 }] },
  logreg: { learningRate: [0.01, 0.05], batchSize: [32, 64], l2: [0, 1e-3], budget: [{ epochs: 5, patience: 2 }] },
  schedule: ['cosine', 'constant'],
  classWeight: ['none', 'balanced'],
  monitor: ['loss', 'auc'],
};

const rows = syntheticCustomers(300, 11);
const base = { engine: createJsEngine(), target: 'Churn', id: 'CustomerID', space: SMALL_SPACE, folds: 3 };

describe('tune', () => {
  it('tries the trainer defaults first, then distinct draws, all on the same folds', async () => {
    const result = await tune(rows, { ...base, trials: 4, seed: 5 });
    expect(result.trials.map((trial) => trial.trial)).toEqual([1, 2, 3, 4]);
    expect(result.trials[0]).toMatchObject({ isDefault: true, settings: {} });
    expect(result.trials[0]!.resolved).toMatchObject({ model: 'mlp', hidden: [64, 32], epochs: 40, learningRate: 0.008 });
    const keys = result.trials.map((trial) => JSON.stringify(trial.resolved));
    expect(new Set(keys).size).toBe(4);
    for (const trial of result.trials) {
      expect(trial.foldAuc).toHaveLength(3);
      expect(trial.auc).toBeCloseTo(trial.foldAuc.reduce((sum, auc) => sum + auc, 0) / 3, 12);
      // Every row has an out-of-fold probability.
      expect(trial.outOfFold.every((probability) => probability > 0 && probability < 1)).toBe(true);
    }
    expect(result).toMatchObject({ folds: 3, seed: 5, rows: 300, notRun: 0 });
    expect(result.trials).toContain(result.chosen);
  });

  it('is deterministic for a seed: same draws, same fold scores, same choice', async () => {
    const first = await tune(rows, { ...base, trials: 3, seed: 9 });
    const second = await tune(rows, { ...base, trials: 3, seed: 9 });
    expect(second.trials.map((trial) => trial.resolved)).toEqual(first.trials.map((trial) => trial.resolved));
    expect(second.trials.map((trial) => trial.foldAuc)).toEqual(first.trials.map((trial) => trial.foldAuc));
    expect(second.chosen.trial).toBe(first.chosen.trial);
    const other = await tune(rows, { ...base, trials: 3, seed: 10 });
    expect(other.trials.slice(1).map((trial) => trial.resolved)).not.toEqual(first.trials.slice(1).map((trial) => trial.resolved));
  });

  it('reports progress after every fold and every finished configuration', async () => {
    const folds: number[] = [];
    const finished: number[] = [];
    await tune(rows, { ...base, trials: 2, seed: 1, onFold: (progress) => folds.push(progress.foldsDone), onTrial: (trial) => finished.push(trial.trial) });
    expect(folds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(finished).toEqual([1, 2]);
  });

  it('under a time limit still finishes the defaults, and runs nothing else once it has passed', async () => {
    const result = await tune(rows, { ...base, trials: 5, seed: 2, timeLimitSeconds: 1e-6 });
    expect(result.trials).toHaveLength(1);
    expect(result.chosen.isDefault).toBe(true);
    expect(result.notRun).toBe(4);
  });

  it('prepares every training run with its features options, as train does', async () => {
    const leaky = rows.map((row) => ({ ...row, Leak: row.Churn }));
    const options = { ...base, trials: 2, seed: 3 };
    const withLeak = await tune(leaky, options);
    // The trainer's defaults find a column that is the label.
    expect(withLeak.trials[0]!.auc).toBe(1);
    const excluded = await tune(leaky, { ...options, features: { exclude: ['Leak'] } });
    const withoutColumn = await tune(rows, options);
    expect(excluded.trials.map((trial) => trial.foldAuc)).toEqual(withoutColumn.trials.map((trial) => trial.foldAuc));
    expect(excluded.trials[0]!.auc).toBeLessThan(0.95);
    await expect(tune(rows, { ...options, features: { exclued: ['Leak'] } as never })).rejects.toThrow(/exclued/);
  });

  it('refuses bad options once, naming them, before any training', async () => {
    await expect(tune(rows, { ...base, trials: 0 })).rejects.toThrow(/tune option "trials" is 0; expected an integer >= 1/);
    await expect(tune(rows, { ...base, folds: 1 })).rejects.toThrow(/"folds" is 1; expected an integer >= 2/);
    await expect(tune(rows, { ...base, timeLimitSeconds: -3 })).rejects.toThrow(OptionsError);
    await expect(tune(rows, { ...base, trails: 3 } as never)).rejects.toThrow(/unknown tune option "trails"/);
    await expect(tune(rows.slice(0, 4), { ...base })).rejects.toThrow(/cross-validation needs at least 3 of each class/);
    await expect(tune([{ ...rows[0]!, Churn: 'maybe' }, ...rows], { ...base })).rejects.toThrow(/row 1, column "Churn": expected a churn label/);
  });
});
