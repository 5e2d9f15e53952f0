import type { Activation, Engine } from '../engine/types.js';
import { OptionsError } from '../errors.js';
import type { FeatureSpecOptions } from '../model/fit-feature-spec.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';

/** One epoch's figures, as given to `onProgress` and kept in `history`. */
export interface EpochProgress {
  epoch: number;
  epochs: number;
  trainLoss: number;
  /** Validation log loss; undefined when `validationFraction` is 0. */
  valLoss: number | undefined;
  /** Validation ROC AUC; undefined when `validationFraction` is 0. */
  valAuc: number | undefined;
  learningRate: number;
}

export type ClassWeight = 'balanced' | 'none' | { 0: number; 1: number };

/** Options of `train`. Only `engine` and `target` are required. */
export interface TrainOptions {
  /** The engine networks run on (`loadEngine()` from `churnkit/node`, or `createJsEngine()`). */
  engine: Engine;
  /** Column holding the churn label (0/1, true/false or yes/no). */
  target: string;
  /** Customer id column, left out of the features. */
  id?: string;
  /** Model kind (default 'mlp'). */
  model?: 'logreg' | 'mlp';
  /** Hidden layer widths of an MLP (default [64, 32]). */
  hidden?: readonly number[];
  /** Hidden layer activation (default 'relu'). */
  activation?: Exclude<Activation, 'sigmoid' | 'linear'>;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  schedule?: LearningRateSchedule;
  optimizer?: 'adam' | 'sgd';
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** L2 penalty on weights, added to the mean loss as l2/2 · Σw². */
  l2?: number;
  /** Seed for initialisation, shuffling and the validation split (default 42). */
  seed?: number;
  /** Share of rows held out, stratified, for early stopping and the threshold (default 0.1). */
  validationFraction?: number;
  /** Epochs without validation improvement before stopping; the best epoch's weights are kept. */
  patience?: number;
  /** What early stopping watches (default 'loss'). */
  monitor?: 'loss' | 'auc';
  classWeight?: ClassWeight;
  /**
   * One loss weight per row (finite, >= 0, not all 0), multiplied with the class weight:
   * e.g. inverse treatment probabilities for an uplift learner. Default 1 for every row.
   */
  sampleWeights?: ArrayLike<number>;
  /** Model version string written to the file (default: derived from the training time). */
  version?: string;
  /** SHA-256 hex of the training data as stored (e.g. of the CSV file); default: hash of the rows. */
  dataHash?: string;
  /** Preprocessing options (target and id are passed through automatically). */
  features?: Omit<FeatureSpecOptions, 'target' | 'id'>;
  onProgress?: (progress: EpochProgress) => void;
}

/** Options with every default filled in: what the trainer actually uses. */
export interface ResolvedTrainOptions {
  engine: Engine;
  target: string;
  id: string | undefined;
  model: 'logreg' | 'mlp';
  hidden: number[];
  activation: Exclude<Activation, 'sigmoid' | 'linear'>;
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule: LearningRateSchedule;
  optimizer: 'adam' | 'sgd';
  momentum: number;
  l2: number;
  seed: number;
  validationFraction: number;
  patience: number;
  monitor: 'loss' | 'auc';
  classWeight: ClassWeight;
  sampleWeights: ArrayLike<number> | undefined;
  version: string | undefined;
  dataHash: string | undefined;
  features: Omit<FeatureSpecOptions, 'target' | 'id'>;
  onProgress: ((progress: EpochProgress) => void) | undefined;
}

/**
 * Defaults per model kind, tuned on the public e-commerce churn data (see
 * docs/model-format.md and the dataset test): a convex logistic regression wants
 * a large rate and big batches; the MLP small batches, a cosine-decayed Adam rate
 * and some L2.
 */
const DEFAULTS = {
  logreg: { epochs: 100, batchSize: 128, learningRate: 0.01, l2: 1e-4, patience: 15 },
  mlp: { epochs: 40, batchSize: 64, learningRate: 0.008, l2: 3e-4, patience: 10 },
} as const;

const KNOWN = new Set([
  'engine', 'target', 'id', 'model', 'hidden', 'activation', 'epochs', 'batchSize', 'learningRate', 'schedule',
  'optimizer', 'momentum', 'l2', 'seed', 'validationFraction', 'patience', 'monitor', 'classWeight', 'sampleWeights', 'version',
  'dataHash', 'features', 'onProgress',
]);

/** Validates `train` options once and fills in the defaults; throws `OptionsError` naming the option. */
export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  if (options === null || typeof options !== 'object') {
    throw new OptionsError('OPTIONS_MISSING', 'train needs an options object with at least { engine, target }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new OptionsError('OPTIONS_UNKNOWN', `unknown train option "${key}"; expected one of ${[...KNOWN].join(', ')}`);
    }
  }
  const fail = (name: string, value: unknown, expected: string): never => {
    throw new OptionsError('OPTIONS_BAD_VALUE', `train option "${name}" is ${JSON.stringify(value) ?? String(value)}; expected ${expected}`);
  };
  if (!options.engine || typeof options.engine.createNetwork !== 'function') fail('engine', typeof options.engine, 'an Engine');
  if (typeof options.target !== 'string' || options.target.length === 0) fail('target', options.target, 'a column name');
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id.length === 0)) fail('id', options.id, 'a column name');

  const model = options.model ?? 'mlp';
  if (model !== 'logreg' && model !== 'mlp') fail('model', model, '"logreg" or "mlp"');
  const defaults = DEFAULTS[model];

  const integer = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const used = value ?? fallback;
    if (!Number.isInteger(used) || used < min) fail(name, used, `an integer >= ${min}`);
    return used;
  };
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const used = value ?? fallback;
    if (typeof used !== 'number' || !Number.isFinite(used) || used <= 0) fail(name, used, 'a finite number > 0');
    return used;
  };
  const oneOf = <T extends string>(name: string, value: T | undefined, fallback: T, allowed: readonly T[]): T => {
    const used = value ?? fallback;
    if (!allowed.includes(used)) fail(name, used, allowed.map((item) => `"${item}"`).join(' or '));
    return used;
  };

  const hidden = [...(options.hidden ?? [64, 32])];
  if (hidden.length === 0 && model === 'mlp') fail('hidden', hidden, 'at least one hidden layer width for an mlp');
  hidden.forEach((units, index) => {
    if (!Number.isInteger(units) || units < 1) fail(`hidden[${index}]`, units, 'an integer >= 1');
  });
  const l2 = options.l2 ?? defaults.l2;
  if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) fail('l2', l2, 'a finite number >= 0');
  const momentum = options.momentum ?? 0.9;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) fail('momentum', momentum, 'a number in [0, 1)');
  const validationFraction = options.validationFraction ?? 0.1;
  if (typeof validationFraction !== 'number' || !(validationFraction >= 0 && validationFraction < 0.9)) {
    fail('validationFraction', validationFraction, 'a number in [0, 0.9)');
  }
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) fail('seed', seed, 'an integer');
  const classWeight = options.classWeight ?? 'none';
  if (typeof classWeight === 'object' && classWeight !== null) {
    for (const label of [0, 1] as const) {
      const weight = classWeight[label];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) fail(`classWeight.${label}`, weight, 'a finite number > 0');
    }
    for (const key of Object.keys(classWeight)) if (key !== '0' && key !== '1') fail('classWeight', classWeight, '{ 0: weight, 1: weight }');
  } else if (classWeight !== 'balanced' && classWeight !== 'none') {
    fail('classWeight', classWeight, '"balanced", "none" or { 0: weight, 1: weight }');
  }
  if (options.sampleWeights !== undefined) {
    const weights = options.sampleWeights;
    if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') fail('sampleWeights', typeof weights, 'an array of numbers');
    let total = 0;
    for (let row = 0; row < weights.length; row++) {
      const weight = weights[row];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) fail(`sampleWeights[${row}]`, weight, 'a finite number >= 0');
      total += weight!;
    }
    if (!(total > 0)) fail('sampleWeights', 'all zero', 'at least one weight > 0');
  }
  if (options.version !== undefined && (typeof options.version !== 'string' || options.version.length === 0)) {
    fail('version', options.version, 'a non-empty string');
  }
  if (options.dataHash !== undefined && !/^[0-9a-f]{64}$/.test(options.dataHash)) {
    fail('dataHash', options.dataHash, '64 lower-case hex digits (SHA-256)');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') fail('onProgress', typeof options.onProgress, 'a function');

  return {
    engine: options.engine,
    target: options.target,
    id: options.id,
    model,
    hidden: model === 'logreg' ? [] : hidden,
    activation: oneOf('activation', options.activation, 'relu', ['relu', 'tanh']),
    epochs: integer('epochs', options.epochs, defaults.epochs, 1),
    batchSize: integer('batchSize', options.batchSize, defaults.batchSize, 1),
    learningRate: positive('learningRate', options.learningRate, defaults.learningRate),
    schedule: oneOf('schedule', options.schedule, 'cosine', ['constant', 'cosine', 'step']),
    optimizer: oneOf('optimizer', options.optimizer, 'adam', ['adam', 'sgd']),
    momentum,
    l2,
    seed,
    validationFraction,
    patience: integer('patience', options.patience, defaults.patience, 1),
    monitor: oneOf('monitor', options.monitor, 'loss', ['loss', 'auc']),
    classWeight,
    sampleWeights: options.sampleWeights,
    version: options.version,
    dataHash: options.dataHash,
    features: options.features ?? {},
    onProgress: options.onProgress,
  };
}

/** The options as JSON for the model file's metadata (no engine, no callback). */
export function recordableOptions(options: ResolvedTrainOptions): Record<string, unknown> {
  const { engine: _engine, onProgress: _onProgress, version: _version, dataHash: _dataHash, sampleWeights, ...rest } = options;
  // The weights belong to the rows, not the settings: the file records only that there were some.
  const weighted = sampleWeights !== undefined ? { sampleWeights: 'per row' } : {};
  return JSON.parse(JSON.stringify({ ...rest, ...weighted, engine: options.engine.kind })) as Record<string, unknown>;
}
