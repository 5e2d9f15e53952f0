/**
 * Training one action's uplift model from its logged decisions, with churnkit's own trainer
 * (`src/train`), by one of two methods:
 *
 * - **T-learner** (two models): P(retained | x) is fitted separately on the treated and on
 *   the held-out customers; uplift(x) = P_treated(x) − P_held-out(x).
 * - **Class transformation** (Jaskowski & Jaroszewicz 2012), generalised to a hold-out that
 *   is not half the customers: Z = 1 for a treated customer who stayed or a held-out customer
 *   who left. Weighting each row by 1 / P(its arm) (the known treatment probability) makes
 *   P_w(Z = 1 | x) = (1 + uplift(x)) / 2, so one model suffices: uplift(x) = 2·P_w(Z = 1 | x) − 1.
 * - **DR-learner** (Kennedy 2020) with one baseline: a model of P(retained | x) fitted on both
 *   arms, m(x), is subtracted from the outcome before the transformation. With p the known
 *   treatment probability, φ = (retained − m(x))·(treated − p) / (p(1 − p)) has mean uplift(x)
 *   whatever m is (the arm is drawn independently of x), and far less spread than the plain
 *   transformed outcome, whose size is set by the retention rate rather than by the uplift:
 *   on the simulated store its standard deviation halves, worth four times the decisions.
 *   m is cross-fitted (each customer's baseline comes from a model that never saw them). The
 *   regression on φ runs on the trainer's logistic model as a soft class: φ lies within ±c,
 *   c = 1 / min(p, 1 − p), so each row enters twice, as Z = 1 with weight (1 + φ/c)/2 and as
 *   Z = 0 with weight (1 − φ/c)/2, giving P_w(Z = 1 | x) = (1 + uplift(x)/c)/2.
 *
 * Every method learns on the logged features plus the behaviour columns of
 * `behaviour-features.ts`, which `UpliftModel.uplift` adds the same way when it scores.
 */
import type { Engine } from '../engine/types.js';
import { InputError, OptionsError } from '../errors.js';
import { loadModel } from '../model/churn-model.js';
import type { RawRecord } from '../model/feature-spec.js';
import type { ModelFileV1 } from '../model/model-file.js';
import { train } from '../train/train.js';
import type { TrainOptions } from '../train/train-options.js';
import { withBehaviourFeatures } from './behaviour-features.js';
import { armCounts, type UpliftObservation } from './observation.js';
import { splitByCustomer } from './test-split.js';
import { assembleUpliftModels, type UpliftModel } from './uplift-model.js';
import { withUpliftRole } from './uplift-model-file.js';
import { pseudoOutcomeScale, type UpliftArm, type UpliftMethod, type UpliftRole } from './uplift-role.js';

/** Trainer settings used for each network of an uplift model. */
export type UpliftTrainerSettings = Omit<TrainOptions, 'engine' | 'target' | 'id' | 'sampleWeights' | 'onProgress' | 'version' | 'dataHash'>;

export interface UpliftTrainOptions {
  engine: Engine;
  method: UpliftMethod;
  /**
   * Probability that a logged decision was acted on: 1 − the plugin's `holdoutFraction`.
   * The class transformation weights by it; both methods record it.
   */
  treatmentProbability: number;
  /** Network settings (default: logistic regression, the trainer's defaults otherwise). */
  trainer?: UpliftTrainerSettings;
}

/** A trained uplift model: its files (to write) and the model, loaded. */
export interface TrainedUplift {
  action: string;
  method: UpliftMethod;
  files: ModelFileV1[];
  model: UpliftModel;
  /** Releases the networks behind `model`. */
  dispose(): void;
}

/** Target columns of the training rows; a feature of the same name is refused. */
const RETAINED = 'retained';
const TRANSFORMED_CLASS = 'transformed_class';
const RESERVED = [RETAINED, TRANSFORMED_CLASS];
/** Fewer rows than this in an arm and a model is not worth fitting. */
const MIN_ROWS_PER_ARM = 20;

/**
 * Trains the uplift model of one action (every observation must name it).
 * Throws `InputError` when an arm has too few rows or only one outcome.
 *
 * @example
 * const engine = await loadEngine();
 * const trained = await trainUplift(couponRows, { engine, method: 't-learner', treatmentProbability: 0.8 });
 * trained.model.uplift(features); // e.g. 0.12
 */
export async function trainUplift(observations: readonly UpliftObservation[], options: UpliftTrainOptions): Promise<TrainedUplift> {
  const probability = options.treatmentProbability;
  if (!(probability > 0 && probability < 1)) {
    throw new OptionsError('UPLIFT_TREATMENT_PROBABILITY', `option "treatmentProbability" must be strictly between 0 and 1, got ${String(probability)}`);
  }
  const action = observations[0]?.action;
  if (action === undefined) throw new InputError('UPLIFT_NO_DECISIONS', 'no logged decisions with outcomes to train on');
  const counts = armCounts(observations);
  for (const [arm, rows] of [['treated', counts.treated], ['held-out', counts.control]] as const) {
    if (rows < MIN_ROWS_PER_ARM) {
      throw new InputError('UPLIFT_TOO_FEW', `action "${action}": ${rows} ${arm} decisions with outcomes; expected at least ${MIN_ROWS_PER_ARM} in each arm`);
    }
  }
  const role = (arm: UpliftArm): UpliftRole => ({
    method: options.method,
    action,
    arm,
    decisions: observations.length,
    holdoutDecisions: counts.control,
    treatmentProbability: probability,
  });
  const trainer = { model: 'logreg' as const, ...options.trainer };
  const fit = async (arm: UpliftArm, rows: RawRecord[], target: string, sampleWeights?: number[]) => {
    try {
      // Soft classes (the DR-learner's) have no class to stratify a validation split on, and
      // a row's two copies would land on both sides of it: it trains on every row instead.
      const validation = arm === 'pseudo-outcome' ? { validationFraction: 0 } : {};
      const trained = await train(rows, { ...trainer, ...validation, engine: options.engine, target, ...(sampleWeights ? { sampleWeights } : {}) });
      trained.model.dispose();
      return await withUpliftRole(trained.file, role(arm));
    } catch (error) {
      if (error instanceof InputError && error.code === 'INPUT_ONE_CLASS') {
        throw new InputError('UPLIFT_ONE_OUTCOME', `action "${action}", ${arm} arm: every customer had the same outcome; nothing to learn an uplift from`, {}, { cause: error });
      }
      throw error;
    }
  };
  for (const observation of observations) {
    if (observation.action !== action) throw new InputError('UPLIFT_MIXED_ACTIONS', `observations of "${action}" and "${observation.action}" mixed; train one action at a time`);
    if (RESERVED.some((name) => Object.hasOwn(observation.features, name))) {
      throw new InputError('UPLIFT_RESERVED_COLUMN', `a feature is named "${RETAINED}" or "${TRANSFORMED_CLASS}"; these names hold the training target`, { row: observations.indexOf(observation) + 1 });
    }
  }

  const records = observations.map((row) => withBehaviourFeatures(row.features));
  const files: ModelFileV1[] = [];
  if (options.method === 't-learner') {
    const armRows = (treated: boolean) =>
      observations.flatMap((row, index) => (row.treated === treated ? [{ ...records[index], [RETAINED]: row.retained ? 1 : 0 }] : []));
    files.push(await fit('treatment', armRows(true), RETAINED), await fit('control', armRows(false), RETAINED));
  } else if (options.method === 'class-transformation') {
    const rows = observations.map((row, index) => ({ ...records[index], [TRANSFORMED_CLASS]: row.treated === row.retained ? 1 : 0 }));
    // Inverse-probability weights, scaled to average 1 so the trainer's L2 keeps its meaning.
    const raw = observations.map((row) => (row.treated ? 1 / probability : 1 / (1 - probability)));
    const mean = raw.reduce((sum, weight) => sum + weight, 0) / raw.length;
    files.push(await fit('transformed', rows, TRANSFORMED_CLASS, raw.map((weight) => weight / mean)));
  } else {
    const baseline = await crossFittedBaseline(observations, records, options.engine, trainer);
    const scale = pseudoOutcomeScale(probability);
    const rows: RawRecord[] = [];
    const weights: number[] = [];
    observations.forEach((row, index) => {
      const pseudoOutcome = (((row.retained ? 1 : 0) - baseline[index]!) * ((row.treated ? 1 : 0) - probability)) / (probability * (1 - probability));
      const share = (1 + pseudoOutcome / scale) / 2;
      rows.push({ ...records[index], [TRANSFORMED_CLASS]: 1 }, { ...records[index], [TRANSFORMED_CLASS]: 0 });
      // Each pair weighs 2 in all, so weights average 1 and the trainer's L2 keeps its meaning.
      weights.push(2 * share, 2 * (1 - share));
    });
    files.push(await fit('pseudo-outcome', rows, TRANSFORMED_CLASS, weights));
  }
  const loaded = files.map((file) => loadModel(options.engine, file));
  const [model] = assembleUpliftModels(loaded.map((churnModel, index) => ({ model: churnModel, source: `${action} model ${index + 1}` })));
  return {
    action,
    method: options.method,
    files,
    model: model!,
    dispose: () => {
      for (const churnModel of loaded) churnModel.dispose();
    },
  };
}

/** Folds of the DR-learner's baseline: each customer's m(x) comes from a model fitted on the other fold. */
const BASELINE_FOLDS_SEED = 0x0ba5e;

/**
 * P(retained | x) for every observation, from a model fitted on both arms of the other half
 * of the customers (split by customer, so no customer's outcome shapes their own baseline).
 */
async function crossFittedBaseline(
  observations: readonly UpliftObservation[],
  records: readonly RawRecord[],
  engine: Engine,
  trainer: UpliftTrainerSettings,
): Promise<number[]> {
  const rowOf = new Map(observations.map((row, index) => [row, index]));
  const { train: first, test: second } = splitByCustomer(observations, 0.5, BASELINE_FOLDS_SEED);
  const baseline = new Array<number>(observations.length).fill(Number.NaN);
  const outcomeRows = (fold: readonly UpliftObservation[]) => fold.map((row) => ({ ...records[rowOf.get(row)!], [RETAINED]: row.retained ? 1 : 0 }));
  const overall = observations.filter((row) => row.retained).length / observations.length;
  for (const [fitOn, predictOn] of [[first, second], [second, first]] as const) {
    if (predictOn.length === 0) continue;
    let predict = (_record: RawRecord) => overall;
    let dispose = () => {};
    // A fold with one outcome only (tiny logs) has nothing to model: the overall rate serves.
    if (new Set(fitOn.map((row) => row.retained)).size === 2) {
      const trained = await train(outcomeRows(fitOn), { ...trainer, engine, target: RETAINED });
      predict = (record) => trained.model.predict(record);
      dispose = () => trained.model.dispose();
    }
    try {
      for (const row of predictOn) {
        const index = rowOf.get(row)!;
        const value = predict(records[index]!);
        baseline[index] = Number.isFinite(value) ? value : overall;
      }
    } finally {
      dispose();
    }
  }
  return baseline;
}
