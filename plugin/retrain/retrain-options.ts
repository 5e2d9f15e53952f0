/**
 * The `retrain` option of the Express plugin: retrain from the plugin's own store every
 * `every`, in a child process running `churnkit retrain`, and hot-swap the challenger in when
 * it beats the serving model out of time by `minGain` (docs/lifecycle.md). Validated once,
 * at construction, like every plugin option; the trainer settings are the CLI's flags, typed,
 * and the churn definition is the plugin's `churnDefinition` option.
 */
import { OptionsError } from '../../src/errors.js';
import { parseDuration } from '../../src/features/churn-label.js';
import type { ChurnDefinition } from '../churn-definition.js';
import { DEFAULT_MIN_GAIN } from '../../src/retrain/min-gain.js';
import { functionOption } from '../options.js';
import type { ChurnStore } from '../store/types.js';
import { durationField } from '../validation/duration.js';
import { z } from '../validation/zod.js';
import type { RetrainRun } from './retrain-run.js';

/** The `retrain` option as a storefront writes it. */
export interface RetrainOptions {
  /** How often to retrain, as a duration: `7d`, `12h`, `2w` (at least `1h`). The first run is one `every` after start. */
  every: string;
  /**
   * Where the retrain process opens the store: `sqlite:<dataDir>`, a SQLite file, or a
   * `redis://` URL (as `churnkit retrain --store`). Default: the plugin's own SQLite store
   * (`sqlite:<dataDir>`), when the plugin opens it; required when `store` is given.
   */
  store?: string;
  /** The Redis store's key prefix (`--key-prefix`). */
  keyPrefix?: string;
  /** ROC AUC the challenger must gain over the serving model to be promoted. Default 0.005. */
  minGain?: number;
  /** Training cut-offs (`--cutoffs`, default 3), one `step` apart (`--step`, default `30d`). */
  cutoffs?: number;
  step?: string;
  /** The challenger's trainer settings (`churnkit train`'s flags); unset ones keep the trainer's defaults. */
  training?: { model?: 'logreg' | 'mlp'; hidden?: number[]; epochs?: number; learningRate?: number; batchSize?: number; l2?: number; seed?: number };
  /**
   * Keep each run's folder (the challenger, both reports, `retrain.json`) under this directory,
   * named for the run's start time. Default: a temporary folder, removed after the run.
   */
  outDir?: string;
  /** A run still going after this long is stopped and reported as failed, ms. Default 2 hours. */
  timeoutMs?: number;
  /** Told of each finished run: the decision, both ROC AUCs, whether the challenger now serves. Failures go to `onError`. */
  onRun?: (run: RetrainRun) => void;
}

/** The option resolved: what the scheduler runs on. */
export interface RetrainSettings {
  everyMs: number;
  store: string;
  keyPrefix: string | undefined;
  minGain: number;
  /** `churnkit retrain`'s flags for the churn definition, the cut-offs and the trainer. */
  flags: string[];
  outDir: string | undefined;
  timeoutMs: number;
  onRun: ((run: RetrainRun) => void) | undefined;
}

const HOUR_MS = 3_600_000;
const DEFAULT_TIMEOUT_MS = 2 * HOUR_MS;

/** The zod field of the `retrain` option. */
export const retrainOptionField = z
  .strictObject({
    every: durationField(HOUR_MS, 'every'),
    store: z.string().min(1).optional(),
    keyPrefix: z.string().min(1).optional(),
    minGain: z.number().min(0).max(1).optional(),
    cutoffs: z.number().int().min(1).max(24).optional(),
    step: durationField(1, 'step').optional(),
    training: z
      .strictObject({
        model: z.enum(['logreg', 'mlp']).optional(),
        hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).optional(),
        epochs: z.number().int().min(1).max(100_000).optional(),
        learningRate: z.number().positive().optional(),
        batchSize: z.number().int().min(1).optional(),
        l2: z.number().min(0).optional(),
        seed: z.number().int().optional(),
      })
      .optional(),
    outDir: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(1000).optional(),
    onRun: functionOption('a function (run) => void').optional(),
  })
  .optional();

/**
 * Resolves the parsed `retrain` option against the store the plugin runs on: a given store
 * must keep an event log (the edge stores keep folded state only) and be named by location
 * for the retrain process; without one, the plugin's default SQLite store in `dataDir` is used.
 * The labels follow the plugin's `churnDefinition`, as `GET /challenger`'s do.
 *
 * @example
 * resolveRetrain({ every: '7d' }, options, undefined, './data', DEFAULT_CHURN_DEFINITION); // { everyMs: 604800000, store: 'sqlite:./data', ... }
 */
export function resolveRetrain(
  value: z.output<typeof retrainOptionField>,
  options: RetrainOptions | undefined,
  store: ChurnStore | undefined,
  dataDir: string,
  churnDefinition: ChurnDefinition,
): RetrainSettings | undefined {
  if (value === undefined || options === undefined) return undefined;
  if (store !== undefined && typeof store.eventLog !== 'function') {
    throw new OptionsError(
      'PLUGIN_OPTIONS',
      'churn() option "retrain": this store keeps no event log, only each customer\'s folded state (the memory, KV and Durable Object stores), ' +
        'so no training rows or churn labels can be rebuilt from it. Use the SQLite or Redis store, or retrain from an exported event log (docs/lifecycle.md)',
    );
  }
  if (store !== undefined && value.store === undefined) {
    throw new OptionsError(
      'PLUGIN_OPTIONS',
      'churn() option "retrain.store": the retrain process opens the store by its location, and a store object was given: name it, e.g. "sqlite:./data" or "redis://127.0.0.1:6379"',
    );
  }
  const training = value.training ?? {};
  const flag = (name: string, given: unknown) => (given === undefined ? [] : [name, Array.isArray(given) ? given.join(',') : String(given)]);
  return {
    everyMs: parseDuration(value.every, 'every'),
    store: value.store ?? `sqlite:${dataDir}`,
    keyPrefix: value.keyPrefix,
    minGain: value.minGain ?? DEFAULT_MIN_GAIN,
    flags: [
      ...flag('--horizon', churnDefinition.horizon),
      ...flag('--gap', churnDefinition.gap),
      ...flag('--active', churnDefinition.active),
      ...flag('--cutoffs', value.cutoffs),
      ...flag('--step', value.step),
      ...flag('--model', training.model),
      ...flag('--hidden', training.hidden),
      ...flag('--epochs', training.epochs),
      ...flag('--lr', training.learningRate),
      ...flag('--batch-size', training.batchSize),
      ...flag('--l2', training.l2),
      ...flag('--seed', training.seed),
    ],
    outDir: value.outDir,
    timeoutMs: value.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    onRun: options.onRun,
  };
}
