/**
 * Rules of uplift learning and evaluation that a mutation audit of src/uplift found
 * unpinned: the ranking of NaN scores, a log with one arm, what the bootstrap keeps fixed,
 * the split by customer, the behaviour columns' edge cases, how model files are put
 * together into uplift models, and the refusals of trainUplift before it trains anything.
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { decodeWeights, type ModelMetadata } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';
import { withBehaviourFeatures } from '../../src/uplift/behaviour-features.js';
import { evaluateUplift } from '../../src/uplift/bootstrap-bands.js';
import { armCounts, byAction, type UpliftObservation } from '../../src/uplift/observation.js';
import { rankByScore, upliftCurves, type ScoredOutcome } from '../../src/uplift/qini.js';
import { splitByCustomer } from '../../src/uplift/test-split.js';
import { trainUplift, UPLIFT_SHRINKAGE_PATH } from '../../src/uplift/train-uplift.js';
import { assembleUpliftModels, type ProbabilityModel, type SourcedModel } from '../../src/uplift/uplift-model.js';
import { withUpliftRole } from '../../src/uplift/uplift-model-file.js';
import type { UpliftArm, UpliftMethod, UpliftRole } from '../../src/uplift/uplift-role.js';
import { fixtureModel } from '../model/model-fixture.js';

describe('the Qini ranking and curves', () => {
  it('ranks a NaN score below every other score, -1 included', () => {
    expect(rankByScore([Number.NaN, 0.5, -1])).toEqual({ order: Uint32Array.from([1, 2, 0]), blockEnds: Uint32Array.from([1, 2, 3]) });
  });

  it('counts an arm with nobody in it as 0 in the Qini curve, not NaN', () => {
    // Held-out customers only (N_T = 0): q(x) = −R_C(x) / N_C = 0, −1/2, −1/2.
    const heldOut: ScoredOutcome[] = [
      { score: 0.9, treated: false, retained: true },
      { score: 0.1, treated: false, retained: false },
    ];
    const curves = upliftCurves(heldOut, { grid: [0, 0.5, 1] });
    expect(curves.qini).toEqual([0, -0.5, -0.5]);
    expect(curves.upliftAtK).toEqual([null, null, null]);
    // Trapezoids 0.5 · (0 − 0.5) / 2 + 0.5 · (−0.5 − 0.5) / 2 = −0.375, minus the random line's −0.25.
    expect(curves.coefficient).toBeCloseTo(-0.125, 12);
    const treatedOnly = upliftCurves(heldOut.map((row) => ({ ...row, treated: true })), { grid: [0, 0.5, 1] });
    expect(treatedOnly.qini).toEqual([0, 0.5, 0.5]);
    expect(treatedOnly.coefficient).toBeCloseTo(0.125, 12);
  });
});

describe('bootstrap bands', () => {
  /** One treated customer (retained) and nine held out, three of them retained. */
  const oneTreated: ScoredOutcome[] = [
    { score: 0.95, treated: true, retained: true },
    ...Array.from({ length: 9 }, (_, index) => ({ score: index / 10, treated: false, retained: index % 3 === 0 })),
  ];
  /** Two treated customers (the first retained, the second not) and two held out, neither retained. */
  const twoByTwo: ScoredOutcome[] = [
    { score: 0.9, treated: true, retained: true },
    { score: 0.8, treated: false, retained: false },
    { score: 0.7, treated: true, retained: false },
    { score: 0.6, treated: false, retained: false },
  ];
  const random = createRandom(17);
  const noisy: ScoredOutcome[] = Array.from({ length: 300 }, () => ({ score: random.next(), treated: random.next() < 0.6, retained: random.next() < 0.5 }));

  it('resample each arm at its own size: one treated customer is in every resample', () => {
    // Resampled as one pool, the lone treated customer would be missing from about 35 % of
    // the resamples (0.9^10), and uplift at 100 % would have no band.
    const evaluation = evaluateUplift(oneTreated, { resamples: 200, grid: [0, 1] });
    expect(evaluation).toMatchObject({ rows: 10, treated: 1, control: 9 });
    expect(evaluation.bands.upliftAtK[1]).not.toBeNull();
  });

  it('draw every customer of an arm: with two treated customers q(1) takes each of 0, 1/2 and 1', () => {
    // q(1) = R_T / 2 − 0: a resample draws the retained treated customer 0, 1 or 2 times
    // (chances 1/4, 1/2, 1/4), so 200 resamples span 0 to 1 at the 2.5 % and 97.5 % points.
    const evaluation = evaluateUplift(twoByTwo, { resamples: 200, grid: [0, 1] });
    expect(evaluation.qini[1]).toBe(0.5);
    expect(evaluation.bands.qini[1]).toEqual({ low: 0, high: 1 });
  });

  it('have no uplift-at-k band where an arm is empty in the resamples: nobody is targeted at share 0', () => {
    const evaluation = evaluateUplift(noisy, { resamples: 20, grid: [0, 0.5, 1] });
    expect(evaluation.upliftAtK[0]).toBeNull();
    expect(evaluation.bands.upliftAtK[0]).toBeNull();
    expect(evaluation.bands.upliftAtK[2]).not.toBeNull();
  });

  it('have no uplift-at-k band at a share where only some resamples had an empty arm', () => {
    // The top half of the two-by-two log is one treated and one held-out customer (uplift 1 − 0),
    // but a resample that draws the first treated customer twice has only treated customers there.
    const evaluation = evaluateUplift(twoByTwo, { resamples: 200, grid: [0, 0.5, 1] });
    expect(evaluation.upliftAtK[1]).toBe(1);
    expect(evaluation.bands.upliftAtK[1]).toBeNull();
  });

  it('take the band limits (1 − level) / 2 from each end: at level 0 the band is the median alone', () => {
    const { bands } = evaluateUplift(noisy, { resamples: 51, level: 0 });
    expect(bands.coefficient.low).toBe(bands.coefficient.high);
    const wide = evaluateUplift(noisy, { resamples: 51, level: 0.95 }).bands.coefficient;
    expect(wide.low).toBeLessThan(bands.coefficient.low);
    expect(wide.high).toBeGreaterThan(bands.coefficient.high);
  });

  it('default to 200 resamples, seed 1 and a 95 % level', () => {
    const evaluation = evaluateUplift(noisy, { grid: [0, 0.5, 1] });
    expect(evaluation.bands).toMatchObject({ resamples: 200, level: 0.95 });
    expect(evaluation).toEqual(evaluateUplift(noisy, { grid: [0, 0.5, 1], resamples: 200, seed: 1, level: 0.95 }));
    expect(evaluation.bands.coefficient).not.toEqual(evaluateUplift(noisy, { grid: [0, 0.5, 1], seed: 2 }).bands.coefficient);
  });
});

describe('logged decisions', () => {
  const decision = (customerId: string, action: string, treated: boolean, retained: boolean, ts = 0): UpliftObservation => ({
    customerId,
    ts,
    action,
    treated,
    retained,
    features: {},
  });

  it('counts each arm and, within it, the retained customers', () => {
    const log = [
      decision('a', 'coupon', true, true),
      decision('b', 'coupon', true, false),
      decision('c', 'coupon', true, true),
      decision('d', 'coupon', false, true),
      decision('e', 'coupon', false, false),
      decision('f', 'coupon', false, false),
    ];
    expect(armCounts(log)).toEqual({ treated: 3, control: 3, treatedRetained: 2, controlRetained: 1 });
  });

  it('groups decisions by action in name order, each group in log order', () => {
    const log = [decision('a', 'email', true, true), decision('b', 'coupon', true, true), decision('c', 'call', false, true), decision('d', 'coupon', false, false)];
    const groups = byAction(log);
    expect([...groups.keys()]).toEqual(['call', 'coupon', 'email']);
    expect(groups.get('coupon')!.map((row) => row.customerId)).toEqual(['b', 'd']);
  });

  it('split by customer: every decision of a customer lands on the same side, about testShare of the customers in the test part', () => {
    const log = Array.from({ length: 600 }, (_, index) => decision(`c${index % 200}`, 'coupon', index % 2 === 0, true, index));
    const { train, test } = splitByCustomer(log, 0.3, 1);
    expect(train.length + test.length).toBe(600);
    const testCustomers = new Set(test.map((row) => row.customerId));
    expect(train.some((row) => testCustomers.has(row.customerId))).toBe(false);
    // Three decisions per customer, all on one side.
    expect(test.length).toBe(3 * testCustomers.size);
    expect(testCustomers.size).toBeGreaterThan(40);
    expect(testCustomers.size).toBeLessThan(80);
    // Another seed, another split.
    const other = new Set(splitByCustomer(log, 0.3, 2).test.map((row) => row.customerId));
    expect(other).not.toEqual(testCustomers);
  });
});

describe('behaviour columns at the edges', () => {
  it('adds no column from a negative count (not a log1p of a count)', () => {
    expect(withBehaviourFeatures({ log_coupons_total: -0.5, log_orders_total: 1 })).toEqual({ log_coupons_total: -0.5, log_orders_total: 1 });
  });

  it('caps the coupon share of orders at 1', () => {
    // Five coupons redeemed over two orders.
    expect(withBehaviourFeatures({ log_coupons_total: Math.log1p(5), log_orders_total: Math.log1p(2) }).coupon_order_share).toBe(1);
  });

  it('gives an item price of 0 for less than one item bought, and for a negative revenue (refunds above sales)', () => {
    expect(withBehaviourFeatures({ log_revenue_total: Math.log1p(30), log_items_total: Math.log1p(0.5) }).log_item_price).toBe(0);
    // Revenue −20 over 4 items.
    expect(withBehaviourFeatures({ log_revenue_total: -Math.log1p(20), log_items_total: Math.log1p(4) }).log_item_price).toBe(0);
  });

  it('counts a support ticket without a refund as a complaint, and a mean rating of exactly 2.5 as low', () => {
    const record = withBehaviourFeatures({ log_refunds_total: 0, log_support_tickets_total: Math.log1p(1), log_reviews_total: Math.log1p(2), mean_rating: 2.5 });
    expect(record).toMatchObject({ complaints: 1, has_complained: 1, gave_low_rating: 1 });
  });
});

describe('assembleUpliftModels', () => {
  const metadata = (role: UpliftRole): ModelMetadata => ({
    target: 'retained',
    id: null,
    trainedAt: '2026-11-23T10:00:00.000Z',
    rows: 100,
    positiveRate: 0.5,
    threshold: 0.5,
    dataHash: 'a'.repeat(64),
    seed: 1,
    metrics: {},
    scoreQuantiles: [],
    options: { uplift: role },
  });
  /** A model file's stand-in: predicts with `predict`, and keeps the records it was asked about. */
  const file = (action: string, method: UpliftMethod, arm: UpliftArm, predict: (record: RawRecord) => number, seen: RawRecord[] = []): SourcedModel => {
    const role: UpliftRole = { method, action, arm, decisions: 100, holdoutDecisions: 20, treatmentProbability: 0.8 };
    const model: ProbabilityModel = {
      metadata: metadata(role),
      version: `${action}-${arm}`,
      features: [],
      predict: (record) => {
        seen.push(record);
        return predict(record);
      },
    };
    return { model, source: `${action}.${arm}.json` };
  };
  const logged = { log_coupons_total: Math.log1p(1), log_orders_total: Math.log1p(4) };

  it('scores every method on the logged features plus the behaviour columns it learned from', () => {
    for (const parts of [
      [['t-learner', 'treatment'], ['t-learner', 'control']],
      [['class-transformation', 'transformed']],
      [['dr-learner', 'pseudo-outcome']],
    ] as const) {
      const seen: RawRecord[] = [];
      const [model] = assembleUpliftModels(parts.map(([method, arm]) => file('coupon', method, arm, () => 0.5, seen)));
      model!.uplift(logged);
      expect(seen.length).toBe(parts.length);
      for (const record of seen) expect(record).toMatchObject({ ...logged, redeemed_a_coupon: 1, coupon_order_share: 0.25 });
    }
  });

  it('keeps a DR-learner\'s uplift within [-1, 1]: its network\'s output is scaled by 1 / min(p, 1 − p)', () => {
    // p = 0.8, scale 5: uplift = 5 · (2 · prediction − 1).
    const dr = (prediction: number) => assembleUpliftModels([file('coupon', 'dr-learner', 'pseudo-outcome', () => prediction)])[0]!.uplift({});
    expect(dr(0.55)).toBeCloseTo(0.5, 12);
    expect(dr(0.9)).toBe(1);
    expect(dr(0.1)).toBe(-1);
  });

  it('takes the treated arm\'s retention minus the held-out arm\'s for a T-learner', () => {
    const [model] = assembleUpliftModels([file('coupon', 't-learner', 'control', () => 0.4), file('coupon', 't-learner', 'treatment', () => 0.7)]);
    expect(model!.uplift({})).toBeCloseTo(0.3, 12);
    expect(model!.versions).toEqual(['coupon-control', 'coupon-treatment']);
  });

  it('refuses a T-learner whose two files were trained on different logs, naming the second (MODEL_UPLIFT_MISMATCH)', () => {
    const control = file('coupon', 't-learner', 'control', () => 0.4);
    const fromAnotherRun = file('coupon', 't-learner', 'treatment', () => 0.7);
    const role = { ...(fromAnotherRun.model.metadata.options.uplift as UpliftRole), decisions: 140, holdoutDecisions: 28 };
    const treatment = { ...fromAnotherRun, model: { ...fromAnotherRun.model, metadata: metadata(role) } };
    expect(() => assembleUpliftModels([control, treatment])).toThrow(
      expect.objectContaining({
        code: 'MODEL_UPLIFT_MISMATCH',
        file: 'coupon.treatment.json',
        message:
          'coupon.treatment.json: the t-learner files of action "coupon" come from different training runs: coupon.control.json learned from 100 decisions (20 held out, treatment probability 0.8), this one from 140 decisions (28 held out, treatment probability 0.8); pass the files one run of churnkit uplift wrote',
      }),
    );
  });

  it('refuses a second file for the same arm of an action, naming it (MODEL_UPLIFT_DUPLICATE)', () => {
    const first = file('coupon', 'class-transformation', 'transformed', () => 0.5);
    const second = { ...file('coupon', 'class-transformation', 'transformed', () => 0.6), source: 'again.json' };
    expect(() => assembleUpliftModels([first, second])).toThrow(expect.objectContaining({ code: 'MODEL_UPLIFT_DUPLICATE', file: 'again.json' }));
  });

  it('leaves out an action without a model of the method asked for, and sorts the actions by name', () => {
    const models = [
      file('email', 't-learner', 'treatment', () => 0.6),
      file('call', 'class-transformation', 'transformed', () => 0.5),
      file('email', 't-learner', 'control', () => 0.5),
      file('coupon', 't-learner', 'control', () => 0.5),
      file('coupon', 't-learner', 'treatment', () => 0.6),
    ];
    expect(assembleUpliftModels(models, 't-learner').map((model) => model.action)).toEqual(['coupon', 'email']);
    expect(assembleUpliftModels(models).map((model) => model.action)).toEqual(['call', 'coupon', 'email']);
  });
});

describe('withUpliftRole', () => {
  const role: UpliftRole = { method: 't-learner', action: 'coupon', arm: 'control', decisions: 100, holdoutDecisions: 20, treatmentProbability: 0.8 };

  it('names the version after the role and the training time, unless a version is given, and keeps the other options', async () => {
    const { file } = await fixtureModel('logreg');
    const named = await withUpliftRole(file, role);
    // trainedAt 2026-11-23T10:00:00.000Z without '-' and ':', first 15 characters.
    expect(named.version).toBe('uplift-coupon-t-learner-control-20261123T100000');
    expect(named.metadata.options).toEqual({ model: 'logreg', uplift: role });
    expect((await withUpliftRole(file, role, 'coupon-v7')).version).toBe('coupon-v7');
    // The network is the one trained: architecture, feature spec and weights unchanged.
    expect(named.architecture).toEqual(file.architecture);
    expect(named.featureSpec).toEqual(file.featureSpec);
    expect(decodeWeights(named)).toEqual(decodeWeights(file));
  });
});

describe('trainUplift refuses a log it cannot learn from, before training', () => {
  const engine = createJsEngine();
  /** `treated` treated and `heldOut` held-out decisions of one action, half of each arm retained. */
  const log = (treated: number, heldOut: number, change: (row: UpliftObservation, index: number) => UpliftObservation = (row) => row): UpliftObservation[] =>
    Array.from({ length: treated + heldOut }, (_, index) =>
      change({ customerId: `c${index}`, ts: index, action: 'coupon', treated: index < treated, retained: index % 2 === 0, features: { x: (index * 7) % 10 } }, index),
    );

  it('refuses a treatment probability of 0 or 1 (UPLIFT_TREATMENT_PROBABILITY)', async () => {
    for (const treatmentProbability of [0, 1, Number.NaN]) {
      await expect(trainUplift(log(30, 30), { engine, method: 't-learner', treatmentProbability })).rejects.toMatchObject({ code: 'UPLIFT_TREATMENT_PROBABILITY' });
    }
  });

  it('refuses an empty log (UPLIFT_NO_DECISIONS)', async () => {
    await expect(trainUplift([], { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toMatchObject({ code: 'UPLIFT_NO_DECISIONS' });
  });

  it('needs at least 20 decisions in each arm (UPLIFT_TOO_FEW)', async () => {
    await expect(trainUplift(log(30, 19), { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toMatchObject({
      code: 'UPLIFT_TOO_FEW',
      message: expect.stringMatching(/19 held-out decisions/),
    });
    await expect(trainUplift(log(19, 30), { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toMatchObject({
      code: 'UPLIFT_TOO_FEW',
      message: expect.stringMatching(/19 treated decisions/),
    });
  });

  it('refuses decisions of two actions (UPLIFT_MIXED_ACTIONS) and a feature named like a training target (UPLIFT_RESERVED_COLUMN)', async () => {
    const mixed = log(30, 30, (row, index) => (index === 40 ? { ...row, action: 'email' } : row));
    await expect(trainUplift(mixed, { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toMatchObject({ code: 'UPLIFT_MIXED_ACTIONS' });
    for (const name of ['retained', 'transformed_class']) {
      const reserved = log(30, 30, (row, index) => (index === 7 ? { ...row, features: { ...row.features, [name]: 1 } } : row));
      await expect(trainUplift(reserved, { engine, method: 'class-transformation', treatmentProbability: 0.8 })).rejects.toMatchObject({
        code: 'UPLIFT_RESERVED_COLUMN',
        location: { row: 8 },
      });
    }
  });

  it('names the arm where every customer had the same outcome (UPLIFT_ONE_OUTCOME)', async () => {
    const allRetained = log(60, 60, (row) => ({ ...row, retained: true }));
    await expect(trainUplift(allRetained, { engine, method: 't-learner', treatmentProbability: 0.8 })).rejects.toMatchObject({
      code: 'UPLIFT_ONE_OUTCOME',
      message: expect.stringMatching(/action "coupon", treatment arm: every customer had the same outcome/),
    });
  });

  it('keeps the strongest shrinkage for a log too small to set 30 % of its customers aside and still train', async () => {
    // 24 per arm: the 70 % the candidates would train on holds fewer than 20 of an arm. The
    // outcome follows x in each arm, a signal the least shrinkage would fit best if judged.
    const strong = log(24, 24, (row) => ({ ...row, retained: row.treated === (row.features.x as number) >= 5 }));
    const trained = await trainUplift(strong, { engine, method: 't-learner', treatmentProbability: 0.5, trainer: { seed: 1 } });
    try {
      expect(trained.shrinkage).toEqual(UPLIFT_SHRINKAGE_PATH[UPLIFT_SHRINKAGE_PATH.length - 1]);
    } finally {
      trained.dispose();
    }
  });
});
