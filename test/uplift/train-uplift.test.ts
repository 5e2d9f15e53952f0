/**
 * Both uplift learners recover a known uplift from a randomised log: a synthetic store where
 * acting on a customer raises their retention by an amount that depends on one feature
 * (and a second feature moves retention but not the uplift).
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { InputError } from '../../src/errors.js';
import { parseModelFile } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';
import type { UpliftObservation } from '../../src/uplift/observation.js';
import { trainUplift, UPLIFT_SHRINKAGE_PATH } from '../../src/uplift/train-uplift.js';
import { upliftRoleOf } from '../../src/uplift/uplift-role.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const TREATMENT_PROBABILITY = 0.8;

/** Retention without the action: sigmoid(0.4 + 0.8·risk); with it, the logit rises by 1.6·affinity. */
function trueUplift(affinity: number, risk: number): number {
  return sigmoid(0.4 + 0.8 * risk + 1.6 * affinity) - sigmoid(0.4 + 0.8 * risk);
}

function syntheticLog(rows: number, seed: number): UpliftObservation[] {
  const random = createRandom(seed);
  return Array.from({ length: rows }, (_, index) => {
    const affinity = 2 * random.next() - 1;
    const risk = 2 * random.next() - 1;
    const treated = random.next() < TREATMENT_PROBABILITY;
    const retention = sigmoid(0.4 + 0.8 * risk + (treated ? 1.6 * affinity : 0));
    return { customerId: `c${index}`, ts: index, action: 'coupon', treated, retained: random.next() < retention, features: { affinity, risk } };
  });
}

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, index) => {
    sxy += (x - mx) * (ys[index]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[index]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('uplift learners', () => {
  const engine = createJsEngine();
  const log = syntheticLog(8000, 11);
  const probe = Array.from({ length: 41 }, (_, index) => ({ affinity: -1 + index / 20, risk: 0.2 }));
  const truth = probe.map((row) => trueUplift(row.affinity, row.risk));

  it.each(['t-learner', 'class-transformation', 'dr-learner'] as const)('%s recovers a known uplift, negative where the action harms', async (method) => {
    const trained = await trainUplift(log, { engine, method, treatmentProbability: TREATMENT_PROBABILITY, trainer: { seed: 3 } });
    try {
      const predicted = probe.map((row) => trained.model.uplift(row));
      expect(correlation(predicted, truth)).toBeGreaterThan(0.95);
      const meanError = predicted.reduce((sum, value, index) => sum + Math.abs(value - truth[index]!), 0) / predicted.length;
      expect(meanError).toBeLessThan(0.06);
      expect(trained.model.uplift({ affinity: -0.9, risk: 0.2 })).toBeLessThan(-0.1);
      expect(trained.model.uplift({ affinity: 0.9, risk: 0.2 })).toBeGreaterThan(0.1);
    } finally {
      trained.dispose();
    }
  });

  it('writes v1 model files that carry their uplift role and parse with the ordinary reader', async () => {
    const tLearner = await trainUplift(log.slice(0, 2000), { engine, method: 't-learner', treatmentProbability: TREATMENT_PROBABILITY });
    const transformed = await trainUplift(log.slice(0, 2000), { engine, method: 'class-transformation', treatmentProbability: TREATMENT_PROBABILITY });
    const pseudoOutcome = await trainUplift(log.slice(0, 2000), { engine, method: 'dr-learner', treatmentProbability: TREATMENT_PROBABILITY });
    try {
      const roles = await Promise.all([...tLearner.files, ...transformed.files, ...pseudoOutcome.files].map(async (file) => upliftRoleOf((await parseModelFile(JSON.stringify(file))).metadata)));
      const held = log.slice(0, 2000).filter((row) => !row.treated).length;
      expect(roles).toEqual([
        { method: 't-learner', action: 'coupon', arm: 'treatment', decisions: 2000, holdoutDecisions: held, treatmentProbability: 0.8 },
        { method: 't-learner', action: 'coupon', arm: 'control', decisions: 2000, holdoutDecisions: held, treatmentProbability: 0.8 },
        { method: 'class-transformation', action: 'coupon', arm: 'transformed', decisions: 2000, holdoutDecisions: held, treatmentProbability: 0.8 },
        { method: 'dr-learner', action: 'coupon', arm: 'pseudo-outcome', decisions: 2000, holdoutDecisions: held, treatmentProbability: 0.8 },
      ]);
      expect(tLearner.files[0]!.formatVersion).toBe(1);
    } finally {
      tLearner.dispose();
      transformed.dispose();
      pseudoOutcome.dispose();
    }
  });

  it('dr-learner: subtracting a baseline ranks better than the plain transformed outcome when retention varies far more than the uplift', async () => {
    // Retention swings with risk (the baseline: 0.15 to 0.85) while the uplift is 0 to 20 points
    // and moves with affinity only: the class transformation's noise follows the retention,
    // the DR-learner's only what is left once the baseline is taken out.
    const rows = (count: number, seed: number): UpliftObservation[] => {
      const random = createRandom(seed);
      return Array.from({ length: count }, (_, index) => {
        const affinity = 2 * random.next() - 1;
        const risk = 2 * random.next() - 1;
        const treated = random.next() < TREATMENT_PROBABILITY;
        const retention = 0.5 + 0.35 * risk + (treated ? 0.1 * (1 + affinity) : 0);
        return { customerId: `c${seed}-${index}`, ts: index, action: 'coupon', treated, retained: random.next() < retention, features: { affinity, risk } };
      });
    };
    const probe = Array.from({ length: 41 }, (_, index) => ({ affinity: -1 + index / 20, risk: 2 * ((index * 7) % 41) / 40 - 1 }));
    const truth = probe.map((row) => 0.1 * (1 + row.affinity));
    const correlations: Record<string, number[]> = { 'class-transformation': [], 'dr-learner': [] };
    for (const seed of [21, 22, 23]) {
      const log = rows(4000, seed);
      for (const method of ['class-transformation', 'dr-learner'] as const) {
        // The same rate and L2 for both, so the comparison is of the pseudo-outcomes alone.
        const trained = await trainUplift(log, { engine, method, treatmentProbability: TREATMENT_PROBABILITY, trainer: { seed, learningRate: 0.01, l2: 0.01 } });
        correlations[method]!.push(correlation(probe.map((row) => trained.model.uplift(row)), truth));
        trained.dispose();
      }
    }
    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(correlations['dr-learner']!)).toBeGreaterThan(0.93);
    expect(mean(correlations['dr-learner']!)).toBeGreaterThan(mean(correlations['class-transformation']!) + 0.1);
  });

  it('chooses its learning rate and L2 on the log: little shrinkage for a strong uplift, the most for a weak one among noise features', async () => {
    // The weak log: an uplift of 0 to 4 points on one of 20 features, the rest noise, on a
    // retention that swings far more with risk; the strong log is the one above.
    const random = createRandom(31);
    const weak: UpliftObservation[] = Array.from({ length: 4000 }, (_, index) => {
      const features: Record<string, number> = { affinity: 2 * random.next() - 1, risk: 2 * random.next() - 1 };
      for (let noise = 0; noise < 18; noise++) features[`noise_${noise}`] = random.next();
      const treated = random.next() < TREATMENT_PROBABILITY;
      const retention = 0.5 + 0.35 * features.risk! + (treated ? 0.02 * (1 + features.affinity!) : 0);
      return { customerId: `w${index}`, ts: index, action: 'coupon', treated, retained: random.next() < retention, features };
    });
    const choices: Record<string, unknown> = {};
    for (const [name, rows] of [['strong', log], ['weak', weak]] as const) {
      const trained = await trainUplift(rows.slice(0, 4000), { engine, method: 'dr-learner', treatmentProbability: TREATMENT_PROBABILITY, trainer: { seed: 5 } });
      choices[name] = trained.shrinkage;
      trained.dispose();
    }
    expect(choices).toEqual({ strong: UPLIFT_SHRINKAGE_PATH[0], weak: UPLIFT_SHRINKAGE_PATH[UPLIFT_SHRINKAGE_PATH.length - 1] });
    // A rate or L2 given by the caller is used as given, with nothing chosen.
    const given = await trainUplift(log.slice(0, 2000), { engine, method: 'class-transformation', treatmentProbability: TREATMENT_PROBABILITY, trainer: { l2: 0.05 } });
    expect(given.shrinkage).toBeNull();
    expect(given.files[0]!.metadata.options).toMatchObject({ l2: 0.05 });
    given.dispose();
  });

  it('refuses a log with too few held-out decisions, or with one outcome only, naming the action', async () => {
    const treatedOnly = log.filter((row) => row.treated).slice(0, 500).concat(log.filter((row) => !row.treated).slice(0, 5));
    await expect(trainUplift(treatedOnly, { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toThrow(/action "coupon": 5 held-out decisions/);
    const allRetained = log.slice(0, 400).map((row) => ({ ...row, retained: true }));
    await expect(trainUplift(allRetained, { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toThrow(InputError);
    await expect(trainUplift(log.slice(0, 400), { engine, method: 't-learner', treatmentProbability: 1 })).rejects.toThrow(/treatmentProbability/);
  });
});
