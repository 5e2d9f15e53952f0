import type { Engine } from '../engine/types.js';
import { InputError, OptionsError } from '../errors.js';
import type { Evaluation } from '../metrics/evaluation.js';
import { mean, populationStd } from '../metrics/summary-statistics.js';
import type { RawRecord } from '../model/feature-spec.js';
import { crossValidateFolds } from '../train/cross-validate.js';
import { parseTarget } from '../train/parse-target.js';
import { createRandom } from '../train/random.js';
import { requireRowsPerFold } from '../train/require-rows-per-fold.js';
import { stratifiedFolds } from '../train/stratified-folds.js';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from '../train/train-options.js';
import { DEFAULT_SEARCH_SPACE, TUNED_SETTING_NAMES, drawSettings, type SearchSpace, type TunedSettings } from './search-space.js';
import { chooseConfiguration, type Selection } from './selection-rule.js';

/** Options of `tune`. Only `engine` and `target` are required. */
export interface TuneOptions {
  engine: Engine;
  /** Column holding the churn label. */
  target: string;
  /** Customer id column, left out of the features. */
  id?: string;
  /** Configurations to cross-validate, the trainer's defaults first (default 20). */
  trials?: number;
  /** Stratified folds per configuration (default 5). */
  folds?: number;
  /** Seeds the draws, the folds and every training run (default 42). */
  seed?: number;
  /** After this many seconds no new fold starts; a configuration left unfinished is dropped. The defaults always finish. */
  timeLimitSeconds?: number;
  /** What configurations are drawn from (default `DEFAULT_SEARCH_SPACE`). */
  space?: SearchSpace;
  /** SHA-256 of the training data as stored, passed on to every training run. */
  dataHash?: string;
  /**
   * Preprocessing for every training run, as `train`'s `features` (columns to leave out,
   * column types, category handling). Pass the same to the refit, so it prepares the data
   * the way the search scored it.
   */
  features?: TrainOptions['features'];
  /** Called after every fold of every configuration. */
  onFold?: (progress: TuneProgress) => void;
  /** Called when a configuration has been scored on every fold. */
  onTrial?: (trial: TrialResult) => void;
}

/** Where a search is, for progress displays. */
export interface TuneProgress {
  /** 1-based configuration number and the number planned. */
  trial: number;
  trials: number;
  /** Folds scored so far over the whole search, and the planned total (trials × folds). */
  foldsDone: number;
  foldsTotal: number;
  /** Best mean AUC among finished configurations, if any. */
  bestAuc: number | undefined;
}

/** The settings every trial resolves to, as shown in results. */
export type TrialSettings = Pick<ResolvedTrainOptions, (typeof TUNED_SETTING_NAMES)[number]>;

/** One configuration, cross-validated. Means and population sds (ddof 0) are over folds, as in `churnkit cv`. */
export interface TrialResult {
  /** 1-based; trial 1 is the trainer's defaults. */
  trial: number;
  isDefault: boolean;
  /** What was passed to `train` (empty for the defaults). */
  settings: TunedSettings;
  /** Every setting the search varies, as the trainer resolved it. */
  resolved: TrialSettings;
  foldAuc: number[];
  auc: number;
  aucStd: number;
  prAuc: number;
  prAucStd: number;
  logloss: number;
  loglossStd: number;
  /** Each row's probability from the fold model that did not see it (out-of-fold), in row order. */
  outOfFold: Float32Array;
  seconds: number;
}

/** What `tune` found. */
export interface TuneResult {
  /** Finished configurations, in the order they ran. */
  trials: TrialResult[];
  /** The configuration to use (see `chooseConfiguration`): refit it on all rows. */
  chosen: TrialResult;
  /** The configuration with the highest mean AUC. */
  best: TrialResult;
  selection: Selection;
  folds: number;
  seed: number;
  rows: number;
  /** Configurations planned but not run (or dropped unfinished) because of the time limit. */
  notRun: number;
  seconds: number;
}

const KNOWN = new Set(['engine', 'target', 'id', 'trials', 'folds', 'seed', 'timeLimitSeconds', 'space', 'dataHash', 'features', 'onFold', 'onTrial']);
/** Draws of a configuration already planned before the search gives up on finding a new one. */
const MAX_REDRAWS = 50;

/**
 * Random search over the trainer's settings with stratified k-fold
 * cross-validation. Configuration 1 is always the trainer's defaults; the
 * others are drawn from `space` with `seed` (duplicates skipped). Every
 * configuration is trained on the same folds with the same seed, so their
 * scores differ only by their settings, and the choice between them uses that
 * pairing (`chooseConfiguration`: the defaults unless beaten by more than the
 * noise). Deterministic for a seed unless `timeLimitSeconds` cuts the search.
 *
 * @example
 * const engine = await loadEngine();
 * const features = { exclude: ['Signup date'] };
 * const result = await tune(rows, { engine, target: 'Churn', id: 'CustomerID', trials: 20, folds: 5, seed: 7, features });
 * const { model } = await train(rows, { engine, target: 'Churn', id: 'CustomerID', seed: 7, features, ...result.chosen.settings });
 */
export async function tune(rows: readonly RawRecord[], options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const resolved = resolveTuneOptions(options);
  const labels = readLabels(rows, resolved.target);
  requireRowsPerFold(labels, resolved.folds, { column: resolved.target });
  const folds = stratifiedFolds(labels, resolved.folds, resolved.seed);
  const base = { engine: resolved.engine, target: resolved.target, seed: resolved.seed, ...(resolved.id !== undefined ? { id: resolved.id } : {}), ...(resolved.dataHash !== undefined ? { dataHash: resolved.dataHash } : {}), ...(resolved.features !== undefined ? { features: resolved.features } : {}) };
  const planned = planConfigurations(resolved.space, resolved.trials, resolved.seed, (settings) => trialSettings(resolveTrainOptions({ ...base, ...settings })));
  const deadline = resolved.timeLimitSeconds === undefined ? Infinity : started + resolved.timeLimitSeconds * 1000;
  const foldsTotal = planned.length * folds.length;

  const trials: TrialResult[] = [];
  let foldsDone = 0;
  trialLoop: for (const [index, settings] of planned.entries()) {
    const isDefault = index === 0;
    if (!isDefault && performance.now() >= deadline) break;
    const trialStarted = performance.now();
    const outOfFold = new Float32Array(rows.length);
    const evaluations: Evaluation[] = [];
    for await (const outcome of crossValidateFolds(rows, labels, folds, { ...base, ...settings })) {
      folds[outcome.fold]!.test.forEach((row, k) => (outOfFold[row] = outcome.probabilities[k]!));
      evaluations.push(outcome.evaluation);
      resolved.onFold?.({ trial: index + 1, trials: planned.length, foldsDone: ++foldsDone, foldsTotal, bestAuc: bestAuc(trials) });
      if (!isDefault && evaluations.length < folds.length && performance.now() >= deadline) break trialLoop;
    }
    const foldAuc = evaluations.map((evaluation) => evaluation.auc);
    const trial: TrialResult = {
      trial: index + 1,
      isDefault,
      settings,
      resolved: trialSettings(resolveTrainOptions({ ...base, ...settings })),
      foldAuc,
      auc: mean(foldAuc),
      aucStd: populationStd(foldAuc),
      prAuc: mean(evaluations.map((evaluation) => evaluation.pr_auc)),
      prAucStd: populationStd(evaluations.map((evaluation) => evaluation.pr_auc)),
      logloss: mean(evaluations.map((evaluation) => evaluation.logloss)),
      loglossStd: populationStd(evaluations.map((evaluation) => evaluation.logloss)),
      outOfFold,
      seconds: (performance.now() - trialStarted) / 1000,
    };
    trials.push(trial);
    resolved.onTrial?.(trial);
  }

  const selection = chooseConfiguration(trials.map((trial) => trial.foldAuc));
  return {
    trials,
    chosen: trials[selection.chosen]!,
    best: trials[selection.best]!,
    selection,
    folds: folds.length,
    seed: resolved.seed,
    rows: rows.length,
    notRun: planned.length - trials.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The trainer's defaults, then up to `trials − 1` distinct draws. Two draws are
 * the same when they resolve to the same settings (a logistic regression has
 * no hidden layers, so its drawn widths do not make it different).
 */
function planConfigurations(space: SearchSpace, trials: number, seed: number, resolve: (settings: TunedSettings) => TrialSettings): TunedSettings[] {
  // Its own stream, so the folds and the training runs do not depend on how many draws were needed.
  const random = createRandom(seed ^ 0x5eed7e57);
  const seen = new Set([JSON.stringify(resolve({}))]);
  const planned: TunedSettings[] = [{}];
  let redraws = 0;
  while (planned.length < trials && redraws < MAX_REDRAWS) {
    const settings = drawSettings(space, random);
    const key = JSON.stringify(resolve(settings));
    if (seen.has(key)) {
      redraws++;
      continue;
    }
    seen.add(key);
    planned.push(settings);
  }
  return planned;
}

function trialSettings(options: ResolvedTrainOptions): TrialSettings {
  return Object.fromEntries(TUNED_SETTING_NAMES.map((name) => [name, options[name]])) as TrialSettings;
}

function bestAuc(trials: readonly TrialResult[]): number | undefined {
  return trials.length === 0 ? undefined : Math.max(...trials.map((trial) => trial.auc));
}

function readLabels(rows: readonly RawRecord[], target: string): Uint8Array {
  if (rows.length === 0) throw new InputError('INPUT_EMPTY', 'no rows to tune on; expected labelled customer records');
  return Uint8Array.from(rows, (row, index) => parseTarget(Object.hasOwn(row, target) ? row[target] : undefined, { row: index + 1, column: target }));
}

interface ResolvedTuneOptions {
  engine: Engine;
  target: string;
  id: string | undefined;
  trials: number;
  folds: number;
  seed: number;
  timeLimitSeconds: number | undefined;
  space: SearchSpace;
  dataHash: string | undefined;
  features: TuneOptions['features'];
  onFold: TuneOptions['onFold'];
  onTrial: TuneOptions['onTrial'];
}

/** Checks the search's own options once; the trainer checks the rest when the first configuration is resolved. */
function resolveTuneOptions(options: TuneOptions): ResolvedTuneOptions {
  if (options === null || typeof options !== 'object') throw new OptionsError('OPTIONS_MISSING', 'tune needs an options object with at least { engine, target }');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new OptionsError('OPTIONS_UNKNOWN', `unknown tune option "${key}"; expected one of ${[...KNOWN].join(', ')}`);
  }
  const fail = (name: string, value: unknown, expected: string): never => {
    throw new OptionsError('OPTIONS_BAD_VALUE', `tune option "${name}" is ${JSON.stringify(value) ?? String(value)}; expected ${expected}`);
  };
  const integer = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const used = value ?? fallback;
    if (!Number.isInteger(used) || used < min) fail(name, used, `an integer >= ${min}`);
    return used;
  };
  const { timeLimitSeconds } = options;
  if (timeLimitSeconds !== undefined && !(typeof timeLimitSeconds === 'number' && timeLimitSeconds > 0 && timeLimitSeconds < Infinity)) {
    fail('timeLimitSeconds', timeLimitSeconds, 'a finite number of seconds > 0');
  }
  for (const callback of ['onFold', 'onTrial'] as const) {
    if (options[callback] !== undefined && typeof options[callback] !== 'function') fail(callback, typeof options[callback], 'a function');
  }
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) fail('seed', seed, 'an integer');
  return {
    engine: options.engine,
    target: options.target,
    id: options.id,
    trials: integer('trials', options.trials, 20, 1),
    folds: integer('folds', options.folds, 5, 2),
    seed,
    timeLimitSeconds,
    space: options.space ?? DEFAULT_SEARCH_SPACE,
    dataHash: options.dataHash,
    features: options.features,
    onFold: options.onFold,
    onTrial: options.onTrial,
  };
}
