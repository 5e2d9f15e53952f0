/**
 * One seed of the uplift benchmark (bench/uplift.ts):
 *
 * 1. **Logging.** A simulated store runs today's risk policy with ε-greedy exploration and a
 *    hold-out for `logDays`, logging every decision with its features; outcomes follow a
 *    horizon later (the plugin's real policy and SQLite store, plugin/simulation/).
 * 2. **Qini.** The log is split by customer; uplift models trained on 70 % rank the other
 *    30 %, beside the oracle's expected uplift, a random score and two ceilings (the learners'
 *    model form fitted to the oracle's uplift, on the logged features alone and with the
 *    behaviour columns the learners use). Models trained on the first n decisions of the 70 %
 *    give the Qini along the learning curve.
 * 3. **Learning curve.** Uplift models are trained on the first n logged decisions, for
 *    growing n, written as model files and loaded the way the plugin loads them.
 * 4. **Comparison.** On a fresh store (another seed), at the same daily budget, every policy
 *    decides over the same customers in one pass: risk, uplift (each n, each method), and
 *    the two oracles. Extra retained customers are counted on the simulator's answer key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../src/engine/types.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import { RETENTION_ACTIONS, retainedGiven, type ResponseType, type RetentionAction } from '../src/generate/response-types.js';
import { RetentionWorld } from '../src/generate/retention-world.js';
import { createRandom } from '../src/train/random.js';
import { evaluateUplift } from '../src/uplift/bootstrap-bands.js';
import { withBehaviourFeatures } from '../src/uplift/behaviour-features.js';
import { upliftCurves } from '../src/uplift/qini.js';
import { byAction, type UpliftObservation } from '../src/uplift/observation.js';
import { splitByCustomer } from '../src/uplift/test-split.js';
import { train } from '../src/train/train.js';
import { trainUplift, type UpliftTrainerSettings } from '../src/uplift/train-uplift.js';
import { UPLIFT_METHODS, type UpliftMethod } from '../src/uplift/uplift-role.js';
import { loggedObservations } from '../plugin/policy/logged-observations.js';
import { loadUpliftModels } from '../plugin/policy/load-uplift-models.node.js';
import { upliftModels } from '../plugin/policy/uplift-models.js';
import { oraclePolicy, riskPolicy, upliftPolicy } from '../plugin/simulation/campaign-policies.js';
import { runCampaign, type CampaignPolicy, type CampaignResult } from '../plugin/simulation/run-campaign.js';
import type { ServingModel } from '../plugin/serving-model.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../plugin/store/types.js';

/** The settings every seed shares. */
export interface ExperimentSettings {
  warmupDays: number;
  horizonDays: number;
  holdoutFraction: number;
  logging: { customers: number; days: number; dailyBudget: number; exploration: number };
  evaluation: { customers: number; days: number; dailyBudget: number };
  /** Logged decisions the learning curve trains on (the whole log is added at the end). */
  curve: number[];
  /**
   * Learning rate and L2 of the ceilings' fit to the oracle's uplift: light, as there is no
   * noise to shrink against (the uplift models choose theirs, as the library does by default).
   */
  ceiling: { learningRate: number; l2: number };
  testShare: number;
  bootstrap: number;
}

/** What one seed measured. */
export interface ExperimentResult {
  seed: number;
  loggedDecisions: number;
  loggingResult: CampaignResult;
  /** Per action: logged decisions, of them in the hold-out. */
  logByAction: Record<string, { decisions: number; holdout: number }>;
  /**
   * Per action: the spread (standard deviation) of the oracle's expected uplift over the
   * logged decisions (the signal to rank by), of the transformed outcome Y·(T − p)/(p(1 − p))
   * whose mean given x is the uplift (the noise each decision carries), and the features seen.
   */
  signal: Record<string, { upliftSd: number; transformedSd: number; features: number }>;
  /** Response-type mix of the customers the logging store considered, per action. */
  typeMix: Record<RetentionAction, Record<ResponseType, number>>;
  wouldLeaveShare: number;
  /**
   * Pooled Qini coefficient on the held-out customers, with its 95 % band: on the outcomes
   * observed (each decision in its random arm), and on both potential outcomes (each
   * decision's response type known, so it counts in both arms: no noise from the arms).
   */
  qini: Record<'observed' | 'potential', Record<UpliftScorer, { coefficient: number; low: number; high: number }>>;
  /** Potential-outcome Qini coefficient of each method's models trained on the first n training decisions, by n ('all': the whole 70 %). */
  qiniCurve: Record<string, Record<UpliftMethod, number>>;
  /** The method with the higher Qini on the held-out customers: the one a user would pick. */
  chosenMethod: UpliftMethod;
  /** Policy name → result on the evaluation store. */
  evaluation: Record<string, CampaignResult>;
  seconds: { logging: number; training: number; evaluation: number };
}

/**
 * The scores the Qini tables compare: the learned methods, the oracle, a random ranking, and
 * the ceilings (a model of the learners' form fitted to the oracle's expected uplift, on the
 * logged features alone, and with the behaviour columns the learners see).
 */
export type UpliftScorer = UpliftMethod | 'oracle' | 'ceiling (logged features)' | 'ceiling' | 'random';

/** Policy names in the comparison. */
export const policyName = {
  risk: 'risk',
  oracle: 'oracle (expected)',
  foresight: 'oracle (foresight)',
  learned: (method: UpliftMethod, decisions: number | 'all', thresholded = false) =>
    `uplift ${method} n=${decisions}${thresholded ? ' (default threshold)' : ''}`,
};

/**
 * Runs one seed.
 *
 * @example
 * const result = await runExperiment(1, settings, { engine, model, folder, log: console.error });
 */
export async function runExperiment(
  seed: number,
  settings: ExperimentSettings,
  context: { engine: Engine; model: ServingModel; folder: string; log: (line: string) => void },
): Promise<ExperimentResult> {
  const { engine, model, folder, log } = context;
  const stores: ChurnStore[] = [];
  const store = (name: string) => {
    const opened = openSqliteStore({ dataDir: folder, fileName: `${name.replace(/[^\w.-]+/g, '_')}.sqlite`, durability: 'normal' });
    stores.push(opened);
    return opened;
  };
  try {
    // 1. Logging, with the answer key of every customer considered.
    let started = performance.now();
    const { logging, warmupDays, horizonDays } = settings;
    const loggingWorld = new RetentionWorld({ customers: logging.customers, days: warmupDays + logging.days + horizonDays, seed, horizonDays });
    const oracleUplift = new Map<string, number[]>();
    const responseTypes = new Map<string, ResponseType[]>();
    const typeMix = Object.fromEntries(RETENTION_ACTIONS.map((action) => [action, { persuadable: 0, sure_thing: 0, lost_cause: 0, sleeping_dog: 0 }])) as ExperimentResult['typeMix'];
    let considered = 0;
    let wouldLeave = 0;
    const logStore = store('log');
    const [loggingResult] = await runCampaign({
      world: loggingWorld,
      warmupDays,
      campaignDays: logging.days,
      model,
      policies: [{ name: 'logging', settings: riskPolicy({ dailyBudget: logging.dailyBudget, holdoutFraction: settings.holdoutFraction, exploration: logging.exploration }), store: logStore }],
      onTruth: ({ customerId, ts, truth }) => {
        considered++;
        if (truth.wouldLeave) wouldLeave++;
        oracleUplift.set(`${customerId}@${ts}`, RETENTION_ACTIONS.map((action) => truth.actions[action].expectedUplift));
        responseTypes.set(`${customerId}@${ts}`, RETENTION_ACTIONS.map((action) => truth.actions[action].type));
        for (const action of RETENTION_ACTIONS) typeMix[action][truth.actions[action].type]++;
      },
      onDay: (done, days) => {
        if (done % 50 === 0) log(`  seed ${seed}: logging day ${done}/${days}`);
      },
    });
    const { observations } = await loggedObservations(logStore);
    const seconds = { logging: (performance.now() - started) / 1000, training: 0, evaluation: 0 };
    log(`  seed ${seed}: ${observations.length} logged decisions in ${seconds.logging.toFixed(0)} s`);

    // 2. Qini on held-out customers.
    started = performance.now();
    const trainer = { model: 'logreg' as const, seed };
    const treatmentProbability = 1 - settings.holdoutFraction;
    const split = splitByCustomer(observations, settings.testShare, seed);
    const oracleScore = (row: UpliftObservation) => oracleUplift.get(`${row.customerId}@${row.ts}`)![RETENTION_ACTIONS.indexOf(row.action as RetentionAction)]!;
    const random = createRandom(seed);
    const scorers: Record<string, (row: UpliftObservation) => number> = { oracle: oracleScore, random: () => random.next() };
    const heldOutModels: { dispose(): void }[] = [];
    const learnedScorers = async (rows: readonly UpliftObservation[], method: UpliftMethod) => {
      const models = new Map<string, (row: UpliftObservation) => number>();
      for (const [action, group] of byAction(rows)) {
        try {
          const trained = await trainUplift(group, { engine, method, treatmentProbability, trainer });
          heldOutModels.push(trained);
          models.set(action, (row) => trained.model.uplift(row.features));
        } catch {
          // Too few decisions of this action: its rows score 0 (no ranking).
        }
      }
      return (row: UpliftObservation) => models.get(row.action)?.(row) ?? 0;
    };
    for (const method of UPLIFT_METHODS) scorers[method] = await learnedScorers(split.train, method);
    // The ceilings of what the features carry: the same logistic model fitted to the answer
    // key's expected uplift instead of observed outcomes (no arm or outcome noise at all).
    for (const [name, features] of [
      ['ceiling (logged features)', (row: UpliftObservation) => row.features],
      ['ceiling', (row: UpliftObservation) => withBehaviourFeatures(row.features)],
    ] as const) {
      const ceilingModels = new Map<string, { score: (row: UpliftObservation) => number; dispose(): void }>();
      for (const [action, rows] of byAction(split.train)) ceilingModels.set(action, await fitToOracle(engine, rows, oracleScore, features, { model: 'logreg', ...settings.ceiling, seed }));
      heldOutModels.push(...ceilingModels.values());
      scorers[name] = (row) => ceilingModels.get(row.action)?.score(row) ?? 0;
    }
    const observed = split.test.map((row) => ({ row, treated: row.treated, retained: row.retained }));
    const potential = split.test.flatMap((row) => {
      const type = responseTypes.get(`${row.customerId}@${row.ts}`)![RETENTION_ACTIONS.indexOf(row.action as RetentionAction)]!;
      return [true, false].map((treated) => ({ row, treated, retained: retainedGiven(type, treated) === 1 }));
    });
    const scored = (outcomes: typeof observed, score: (row: UpliftObservation) => number) => {
      const scores = new Map(split.test.map((row) => [row, score(row)]));
      return outcomes.map(({ row, treated, retained }) => ({ score: scores.get(row)!, treated, retained }));
    };
    const qiniOf = (outcomes: typeof observed, score: (row: UpliftObservation) => number) => {
      const evaluation = evaluateUplift(scored(outcomes, score), { resamples: settings.bootstrap, seed, grid: [0, 1] });
      return { coefficient: evaluation.coefficient, ...evaluation.bands.coefficient };
    };
    const qiniTable = (outcomes: typeof observed) =>
      Object.fromEntries(Object.entries(scorers).map(([name, score]) => [name, qiniOf(outcomes, score)])) as ExperimentResult['qini']['observed'];
    const qini = { observed: qiniTable(observed), potential: qiniTable(potential) };
    // The Qini along the learning curve: models trained on the first n training decisions.
    const qiniCurve: ExperimentResult['qiniCurve'] = {
      all: Object.fromEntries(UPLIFT_METHODS.map((method) => [method, qini.potential[method].coefficient])) as Record<UpliftMethod, number>,
    };
    for (const size of settings.curve.filter((size) => size < split.train.length)) {
      const entry = {} as Record<UpliftMethod, number>;
      for (const method of UPLIFT_METHODS) entry[method] = upliftCurves(scored(potential, await learnedScorers(split.train.slice(0, size), method)), { grid: [0, 1] }).coefficient;
      qiniCurve[size] = entry;
    }
    for (const trained of heldOutModels) trained.dispose();
    // Picked as a store would: on the outcomes it observed.
    const chosenMethod = UPLIFT_METHODS.reduce((best, method) => (qini.observed[method].coefficient > qini.observed[best].coefficient ? method : best));

    // 3. The learning curve's models, as files the plugin loads.
    const sizes = [...settings.curve.filter((size) => size < observations.length), observations.length];
    const policies: CampaignPolicy[] = [{ name: policyName.risk, settings: riskPolicy({ dailyBudget: settings.evaluation.dailyBudget, holdoutFraction: settings.holdoutFraction }), store: store('risk') }];
    for (const kind of ['expected', 'foresight'] as const) {
      const { settings: oracleSettings, oracle } = oraclePolicy(kind, { dailyBudget: settings.evaluation.dailyBudget, holdoutFraction: settings.holdoutFraction });
      const name = kind === 'expected' ? policyName.oracle : policyName.foresight;
      policies.push({ name, settings: oracleSettings, store: store(name), consider: oracle.consider });
    }
    for (const size of sizes) {
      const label = size === observations.length ? 'all' : size;
      for (const method of UPLIFT_METHODS) {
        const modelFolder = join(folder, `models-${seed}-${label}-${method}`);
        mkdirSync(modelFolder, { recursive: true });
        let trainedActions = 0;
        for (const [action, rows] of byAction(observations.slice(0, size))) {
          try {
            const trained = await trainUplift(rows, { engine, method, treatmentProbability, trainer });
            trained.dispose();
            trained.files.forEach((file, index) => writeFileSync(join(modelFolder, `${action}.${index}.json`), JSON.stringify(file)));
            trainedActions++;
          } catch {
            // Too few decisions of this action so far: the policy keeps its expected value.
          }
        }
        // No action trainable yet (the smallest logs): the policy runs on expected values alone, as
        // intended here; loadUpliftModels refuses a folder without models (MODEL_UPLIFT_NONE).
        const models = trainedActions > 0 ? await loadUpliftModels([modelFolder], { engine }) : upliftModels([]);
        const shared = { dailyBudget: settings.evaluation.dailyBudget, holdoutFraction: settings.holdoutFraction };
        policies.push({ name: policyName.learned(method, label), settings: upliftPolicy(models, { ...shared, minDecisions: 1 }), store: store(policyName.learned(method, label)) });
        if (label === 'all') {
          const name = policyName.learned(method, label, true);
          policies.push({ name, settings: upliftPolicy(models, shared), store: store(name) });
        }
      }
    }
    seconds.training = (performance.now() - started) / 1000;

    // 4. The comparison, on a store none of the models has seen.
    started = performance.now();
    const { evaluation } = settings;
    const evaluationWorld = new RetentionWorld({ customers: evaluation.customers, days: warmupDays + evaluation.days + horizonDays, seed: seed + 1000, horizonDays });
    const results = await runCampaign({ world: evaluationWorld, warmupDays, campaignDays: evaluation.days, model, policies });
    seconds.evaluation = (performance.now() - started) / 1000;
    log(`  seed ${seed}: ${policies.length} policies compared in ${seconds.evaluation.toFixed(0)} s`);

    const signal = Object.fromEntries(
      [...byAction(observations)].map(([action, rows]) => [
        action,
        {
          upliftSd: standardDeviation(rows.map(oracleScore)),
          transformedSd: standardDeviation(rows.map((row) => (row.retained ? 1 : 0) * (row.treated ? 1 / treatmentProbability : -1 / (1 - treatmentProbability)))),
          features: Object.keys(withBehaviourFeatures(rows[0]!.features)).length,
        },
      ]),
    );
    const logByAction = Object.fromEntries(
      [...byAction(observations)].map(([action, rows]) => [action, { decisions: rows.length, holdout: rows.filter((row) => !row.treated).length }]),
    );
    return {
      seed,
      loggedDecisions: observations.length,
      loggingResult: loggingResult!,
      logByAction,
      signal,
      typeMix,
      wouldLeaveShare: wouldLeave / considered,
      qini,
      qiniCurve,
      chosenMethod,
      evaluation: Object.fromEntries(results.map((result) => [result.name, result])),
      seconds,
    };
  } finally {
    for (const opened of stores) await opened.close();
  }
}

/**
 * A logistic model on the logged features fitted to a known expected uplift u(x) in [-1, 1]
 * rather than to outcomes: each row twice, as Z = 1 with weight (1 + u)/2 and Z = 0 with
 * weight (1 − u)/2, so P(Z = 1 | x) = (1 + u)/2 as in the class transformation, without
 * noise. How well it ranks is what the features can carry in the learners' model form.
 */
async function fitToOracle(
  engine: Engine,
  rows: readonly UpliftObservation[],
  oracleScore: (row: UpliftObservation) => number,
  features: (row: UpliftObservation) => RawRecord,
  trainer: UpliftTrainerSettings,
): Promise<{ score: (row: UpliftObservation) => number; dispose(): void }> {
  const target = 'oracle_class';
  const records = rows.flatMap((row) => [{ ...features(row), [target]: 1 }, { ...features(row), [target]: 0 }]);
  const weights = rows.flatMap((row) => {
    const share = (1 + Math.max(-1, Math.min(1, oracleScore(row)))) / 2;
    return [share, 1 - share];
  });
  // No validation split: early stopping watches the validation AUC, which soft targets make meaningless.
  const trained = await train(records, { ...trainer, engine, target, sampleWeights: weights, validationFraction: 0 });
  return { score: (row) => 2 * trained.model.predict(features(row)) - 1, dispose: () => trained.model.dispose() };
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
}
