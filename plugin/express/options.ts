/**
 * Options of `churn()` (churnkit/express): the shared serving options with Express's
 * request as the hooks' argument, plus what only a Node process has: the default SQLite
 * store's folder, the admin token of the admin routes, the model body limit, the prom-client
 * registry and whether swapped models are written to the model file.
 */
import type { Request } from 'express';
import type { Registry } from 'prom-client';
import promClient from './prom-client.js';
import {
  parseOptions,
  resolveServingOptions,
  servingOptionFields,
  sizeLimit,
  type ResolvedServingOptions,
  type ServingOptions,
} from '../options.js';
import { OptionsError } from '../../src/errors.js';
import { resolveRetrain, retrainOptionField, type RetrainOptions, type RetrainSettings } from '../retrain/retrain-options.js';
import { z } from '../validation/zod.js';

export type { ActionOptions, EngineOption } from '../options.js';

/** Options of `churn()`. Only `model` and `identify` are required. */
export interface ChurnOptions extends ServingOptions<Request> {
  /**
   * Where customer state, decisions and outcomes live. Default: SQLite in `dataDir`, opened
   * once the model has loaded (a model that fails to load leaves no database behind).
   */
  store?: ServingOptions<Request>['store'];
  /** Directory of the default SQLite store. Default `CHURNKIT_DATA_DIR` or `./data`. */
  dataDir?: string;
  /** Bearer token of admin routes. Default `CHURNKIT_ADMIN_TOKEN`; without one they stay closed. */
  adminToken?: string;
  /** Largest model file accepted by `PUT /model`. Default "50mb". */
  modelBodyLimit?: string | number;
  /** prom-client registry for the plugin's metrics. Default a fresh one per plugin. */
  registry?: Registry;
  /**
   * Keep hot-swapped models: `PUT /model` writes the new file over the `model` path (a path is
   * then required) before it serves, durably and in one step (a temporary file renamed into
   * place), so a restart serves the last swapped model, and a crash mid-swap leaves the old
   * file or the new one, never a mix. Default false: a restart serves the file as it was.
   */
  saveSwappedModel?: boolean;
  /**
   * Retrain from the store on a schedule, in a child process (never on the request path), and
   * hot-swap the challenger in when it beats the serving model out of time by `minGain`
   * (docs/lifecycle.md). Needs a store that keeps its event log (SQLite, Redis).
   */
  retrain?: RetrainOptions;
}

/** The options after validation and defaults: what the Express plugin runs on. */
export interface ResolvedOptions extends ResolvedServingOptions<Request> {
  dataDir: string;
  adminToken: string | undefined;
  modelBodyLimit: string | number;
  registry: Registry;
  /** The model file swapped models are written to; undefined when they are not kept. */
  savedModelPath: string | undefined;
  /** undefined: no scheduled retraining. */
  retrain: RetrainSettings | undefined;
}

const optionsSchema = z.strictObject({
  ...servingOptionFields,
  dataDir: z.string().min(1).optional(),
  adminToken: z.string().min(16, 'expected at least 16 characters').optional(),
  modelBodyLimit: sizeLimit.default('50mb'),
  registry: z.instanceof(promClient.Registry, { message: 'expected a prom-client Registry' }).optional(),
  saveSwappedModel: z.boolean().default(false),
  retrain: retrainOptionField,
});

/**
 * Validates `churn()` options and fills in defaults.
 *
 * @example
 * const resolved = resolveOptions({ model, identify: (req) => req.get('x-customer-id') });
 * resolved.storeTimeoutMs; // 5
 */
export function resolveOptions(options: ChurnOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const value = parseOptions(optionsSchema, options, 'churn()');
  const envToken = env.CHURNKIT_ADMIN_TOKEN;
  if (value.adminToken === undefined && envToken !== undefined && envToken.length > 0 && envToken.length < 16) {
    throw new OptionsError('PLUGIN_OPTIONS', 'CHURNKIT_ADMIN_TOKEN: expected at least 16 characters');
  }
  if (value.saveSwappedModel && typeof options.model !== 'string') {
    throw new OptionsError('PLUGIN_OPTIONS', 'churn() option "saveSwappedModel": swapped models are written over the model file, so "model" must be a path');
  }
  const dataDir = value.dataDir ?? env.CHURNKIT_DATA_DIR ?? './data';
  const serving = resolveServingOptions(value, options, 'churn()');
  return {
    ...serving,
    dataDir,
    adminToken: value.adminToken ?? (envToken ? envToken : undefined),
    modelBodyLimit: value.modelBodyLimit,
    registry: options.registry ?? new promClient.Registry(),
    savedModelPath: value.saveSwappedModel ? (options.model as string) : undefined,
    retrain: resolveRetrain(value.retrain, options.retrain, options.store, dataDir, serving.churnDefinition),
  };
}
