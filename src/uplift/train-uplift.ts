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
 * `behaviour-features.ts`, which `UpliftModel.uplift` adds the same way when it scores, with
 * a learning rate and L2 chosen per action on held-out customers (`UPLIFT_SHRINKAGE_PATH`).
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
  /**
   * Network settings (default: logistic regression, its learning rate and L2 chosen on the log
   * from `UPLIFT_SHRINKAGE_PATH` unless either is given; the trainer's defaults otherwise).
   */
  trainer?: UpliftTrainerSettings;
}

/** A trained uplift model: its files (to write) and the model, loaded. */
export interface TrainedUplift {
  action: string;
  method: UpliftMethod;
  files: ModelFileV1[];
  /** The learning rate and L2 chosen on the log (`UPLIFT_SHRINKAGE_PATH`); null when the caller set them or asked for an MLP. */
  shrinkage: { learningRate: number; l2: number } | null;
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
  for (const observation of observations) {
    if (observation.action !== action) throw new InputError('UPLIFT_MIXED_ACTIONS', `observations of "${action}" and "${observation.action}" mixed; train one action at a time`);
    if (RESERVED.some((name) => Object.hasOwn(observation.features, name))) {
      throw new InputError('UPLIFT_RESERVED_COLUMN', `a feature is named "${RETAINED}" or "${TRANSFORMED_CLASS}"; these names hold the training target`, { row: observations.indexOf(observation) + 1 });
    }
  }

  const records = observations.map((row) => withBehaviourFeatures(row.features));
  const given = options.trainer ?? {};
  const kind = given.model ?? 'logreg';
  // The shrinkage is chosen on the log unless the caller set it (or asked for an MLP, whose
  // own defaults serve); the DR-learner's baseline is an ordinary outcome model, fitted once.
  const chosen = kind === 'logreg' && given.learningRate === undefined && given.l2 === undefined;
  const baselineTrainer = { model: kind, ...(chosen ? UPLIFT_SHRINKAGE_PATH[0] : {}), ...given };
  const baseline = options.method === 'dr-learner' || chosen ? await crossFittedBaseline(observations, records, options.engine, baselineTrainer) : [];
  const learner: Learner = { engine: options.engine, method: options.method, action, probability, role };
  const shrinkage = chosen ? await chooseShrinkage(learner, observations, records, baseline, given) : null;
  const files = await fitFiles(learner, observations, records, baseline, { model: kind, ...shrinkage, ...given });
  const assembled = assemble(options.engine, action, files);
  return { action, method: options.method, files, shrinkage, ...assembled };
}

/**
 * The learning rate and L2 an uplift model's logistic regressions are chosen from, least
 * shrinkage first (the churn model's: 0.01, and L2 0.01 for small arms). An uplift is a
 * difference of a few points between arms, carried by weights of a few hundredths: Adam
 * moves each weight by about the learning rate per step whatever its gradient, so at 0.01
 * the steps are as large as the weights, and the outcomes are noisy against so small a
 * signal, so L2 shrinks what a few thousand decisions cannot support. A strong uplift on a
 * few features (the unit tests' synthetic logs) wants the first; the benchmark's simulated
 * store (uplifts of a few points, 59 features) the last, where it raised the learned models'
 * Qini from 0.35–0.39 of the oracle's to about 0.46 (docs/uplift.md, "Results").
 */
export const UPLIFT_SHRINKAGE_PATH = [
  { learningRate: 0.01, l2: 0.01 },
  { learningRate: 0.003, l2: 0.1 },
  { learningRate: 0.001, l2: 0.3 },
] as const;

/** Share of customers each candidate shrinkage is judged on (trained on the rest). */
const SHRINKAGE_VALIDATION_SHARE = 0.3;
const SHRINKAGE_SPLIT_SEED = 0x5e1ec7;

/** What every fit of one action's uplift model shares. */
interface Learner {
  engine: Engine;
  method: UpliftMethod;
  action: string;
  probability: number;
  role: (arm: UpliftArm) => UpliftRole;
}

/**
 * The candidate of `UPLIFT_SHRINKAGE_PATH` whose model, trained on 70 % of the customers,
 * predicts the other 30 %'s doubly robust pseudo-outcomes best (least squared error). Their
 * mean given x is the uplift whatever the baseline, so the error is the model's squared
 * distance from the true uplift plus a constant the same for every candidate (Kennedy 2020).
 * A log too small to split in two that still train keeps the strongest shrinkage.
 */
async function chooseShrinkage(
  learner: Learner,
  observations: readonly UpliftObservation[],
  records: readonly RawRecord[],
  baseline: readonly number[],
  given: UpliftTrainerSettings,
): Promise<{ learningRate: number; l2: number }> {
  const index = new Map(observations.map((row, position) => [row, position]));
  const { train: fitOn, test: judgeOn } = splitByCustomer(observations, SHRINKAGE_VALIDATION_SHARE, SHRINKAGE_SPLIT_SEED);
  const strongest = UPLIFT_SHRINKAGE_PATH[UPLIFT_SHRINKAGE_PATH.length - 1]!;
  const fitCounts = armCounts(fitOn);
  if (judgeOn.length === 0 || fitCounts.treated < MIN_ROWS_PER_ARM || fitCounts.control < MIN_ROWS_PER_ARM) return strongest;
  const fitAt = fitOn.map((row) => index.get(row)!);
  const pseudoOutcomes = judgeOn.map((row) => pseudoOutcome(row, baseline[index.get(row)!]!, learner.probability));
  let best: { learningRate: number; l2: number } = strongest;
  let bestError = Number.POSITIVE_INFINITY;
  for (const candidate of UPLIFT_SHRINKAGE_PATH) {
    let files: ModelFileV1[];
    try {
      files = await fitFiles(learner, fitOn, fitAt.map((at) => records[at]!), fitAt.map((at) => baseline[at]!), { ...given, model: 'logreg', ...candidate });
    } catch (error) {
      // One outcome only in an arm of the 70 %: the split cannot judge; the whole log may still train.
      if (error instanceof InputError) return strongest;
      throw error;
    }
    const { model, dispose } = assemble(learner.engine, learner.action, files);
    let error = 0;
    try {
      judgeOn.forEach((row, position) => {
        error += (pseudoOutcomes[position]! - model.uplift(row.features)) ** 2;
      });
    } finally {
      dispose();
    }
    if (error < bestError) {
      best = candidate;
      bestError = error;
    }
  }
  return best;
}

/** The doubly robust pseudo-outcome φ = (retained − m(x))·(T − p) / (p(1 − p)): its mean given x is the uplift. */
function pseudoOutcome(row: UpliftObservation, baseline: number, probability: number): number {
  return (((row.retained ? 1 : 0) - baseline) * ((row.treated ? 1 : 0) - probability)) / (probability * (1 - probability));
}

/** The model files of one method, trained on these rows (`baseline`: the DR-learner's m(x) per row). */
async function fitFiles(
  learner: Learner,
  observations: readonly UpliftObservation[],
  records: readonly RawRecord[],
  baseline: readonly number[],
  trainer: UpliftTrainerSettings,
): Promise<ModelFileV1[]> {
  const { engine, action, probability } = learner;
  const fit = async (arm: UpliftArm, rows: RawRecord[], target: string, sampleWeights?: number[]) => {
    try {
      // Soft classes (the DR-learner's) have no class to stratify a validation split on, and
      // a row's two copies would land on both sides of it: it trains on every row instead.
      const validation = arm === 'pseudo-outcome' ? { validationFraction: 0 } : {};
      const trained = await train(rows, { ...trainer, ...validation, engine, target, ...(sampleWeights ? { sampleWeights } : {}) });
      trained.model.dispose();
      return await withUpliftRole(trained.file, learner.role(arm));
    } catch (error) {
      if (error instanceof InputError && error.code === 'INPUT_ONE_CLASS') {
        throw new InputError('UPLIFT_ONE_OUTCOME', `action "${action}", ${arm} arm: every customer had the same outcome; nothing to learn an uplift from`, {}, { cause: error });
      }
      throw error;
    }
  };
  if (learner.method === 't-learner') {
    const armRows = (treated: boolean) =>
      observations.flatMap((row, index) => (row.treated === treated ? [{ ...records[index], [RETAINED]: row.retained ? 1 : 0 }] : []));
    return [await fit('treatment', armRows(true), RETAINED), await fit('control', armRows(false), RETAINED)];
  }
  if (learner.method === 'class-transformation') {
    const rows = observations.map((row, index) => ({ ...records[index], [TRANSFORMED_CLASS]: row.treated === row.retained ? 1 : 0 }));
    // Inverse-probability weights, scaled to average 1 so the trainer's L2 keeps its meaning.
    const raw = observations.map((row) => (row.treated ? 1 / probability : 1 / (1 - probability)));
    const mean = raw.reduce((sum, weight) => sum + weight, 0) / raw.length;
    return [await fit('transformed', rows, TRANSFORMED_CLASS, raw.map((weight) => weight / mean))];
  }
  const scale = pseudoOutcomeScale(probability);
  const rows: RawRecord[] = [];
  const weights: number[] = [];
  observations.forEach((row, index) => {
    const share = (1 + pseudoOutcome(row, baseline[index]!, probability) / scale) / 2;
    rows.push({ ...records[index], [TRANSFORMED_CLASS]: 1 }, { ...records[index], [TRANSFORMED_CLASS]: 0 });
    // Each pair weighs 2 in all, so weights average 1 and the trainer's L2 keeps its meaning.
    weights.push(2 * share, 2 * (1 - share));
  });
  return [await fit('pseudo-outcome', rows, TRANSFORMED_CLASS, weights)];
}

/** The files loaded and put together as one uplift model. */
function assemble(engine: Engine, action: string, files: readonly ModelFileV1[]): { model: UpliftModel; dispose(): void } {
  const loaded = files.map((file) => loadModel(engine, file));
  const [model] = assembleUpliftModels(loaded.map((churnModel, index) => ({ model: churnModel, source: `${action} model ${index + 1}` })));
  return {
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
