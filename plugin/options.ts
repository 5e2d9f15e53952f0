/**
 * The plugin's options: validated once, at construction, into the fully resolved object
 * the request path uses. A typo or a wrong type fails `churn()` with an `OptionsError`
 * naming the option; nothing on the hot path re-checks options.
 */
import type { Request } from 'express';
import { Registry } from 'prom-client';
import { z } from 'zod';
import type { Engine } from '../src/engine/types.js';
import { OptionsError } from '../src/errors.js';
import type { ActionSpec } from './policy/expected-value.js';
import type { PolicySettings } from './policy/decide.js';
import { learningPolicySchema, resolveLearningPolicy, type LearningPolicyOptions } from './policy/learning-options.js';
import type { RawRecord, ServingModel } from './serving-model.js';
import type { ChurnStore } from './store/types.js';
import { DAY_MS } from '../src/events/day.js';

/** An action the policy may take. */
export interface ActionOptions {
  /** Letters, digits, `_` or `-`; "none" is reserved for doing nothing. */
  name: string;
  /** Cost of issuing it once (coupon value, contact cost), >= 0. */
  cost: number;
  /** Assumed share of would-be churners it keeps, in [0, 1]. */
  successRate: number;
  /** No repeat to the same customer within this many ms. Default 7 days. */
  cooldownMs?: number;
  /** At most this many per customer within `policy.capWindowMs`. Default unlimited. */
  maxPerCustomer?: number;
  /** Every rule must hold on the customer's features, e.g. `{ feature: 'log_refunds_total', atMost: 0 }`. */
  eligibility?: { feature: string; atLeast?: number; atMost?: number }[];
}

/** Options of `churn()`. Only `model` and `identify` are required. */
export interface ChurnOptions {
  /** A loaded model, a parsed model file object, or the path of a model file. */
  model: ServingModel | string | object;
  /** Engine used to load a model file (default: `loadEngine()` from churnkit/node). */
  engine?: Engine;
  /** Where customer state, decisions and outcomes live (default: SQLite in `dataDir`). */
  store?: ChurnStore;
  /** Directory of the default SQLite store. Default `CHURNKIT_DATA_DIR` or `./data`. */
  dataDir?: string;
  /** The customer behind a request (session, cookie, auth), or null/undefined if anonymous. */
  identify: (req: Request) => string | null | undefined;
  /** What the request itself knows (cart size, coupon viewed, ...); wins over stored features. */
  features?: (req: Request) => RawRecord;
  /** Actions, and how the policy learns which works for whom (logFeatures, exploration, uplift: docs/uplift.md). */
  policy?: { actions: ActionOptions[]; capWindowMs?: number } & LearningPolicyOptions;
  /** Value of keeping a customer: a number, or computed from their features. Default 100. */
  customerValue?: number | ((features: Readonly<Record<string, unknown>>) => number);
  /** Share of customers never acted on, for measuring lift, in [0, 1). Default 0.1. */
  holdoutFraction?: number;
  /** Salt of the hold-out hash: change it to draw a new hold-out. Default "churnkit". */
  holdoutSalt?: string;
  /** Largest total cost of actions per UTC day. Default unlimited. */
  dailyBudget?: number;
  /** Bearer token of admin routes. Default `CHURNKIT_ADMIN_TOKEN`; without one they stay closed. */
  adminToken?: string;
  /** Total time a request may wait on the store before failing open, ms. Default 5. */
  storeTimeoutMs?: number;
  /**
   * How long a customer's state and past decisions may be served from this process's
   * memory, ms (0 turns the cache off). This process's own writes are seen at once;
   * another instance's, at most this late. Default 5000.
   */
  cacheTtlMs?: number;
  /**
   * How long a cached customer may be served past `cacheTtlMs` while the store reports that
   * no other process has written to it since (SQLite; a Redis store has no such report), ms:
   * features up to this old, in "days since" terms. At least `cacheTtlMs`. Default 60000.
   */
  cacheMaxAgeMs?: number;
  /** Probability cut-offs of the medium and high bands. Default medium 0.3, high 0.6. */
  bands?: { medium: number; high: number };
  /** Most items in one batch request (scores or events). Default 1000. */
  batchLimit?: number;
  /** Largest JSON body of the router's routes. Default "1mb". */
  bodyLimit?: string | number;
  /** Largest model file accepted by `PUT /model`. Default "50mb". */
  modelBodyLimit?: string | number;
  /** Current time in epoch ms (tests). Default `Date.now`. */
  clock?: () => number;
  /** prom-client registry for the plugin's metrics. Default a fresh one per plugin. */
  registry?: Registry;
}

/** The options after validation and defaults: what the plugin runs on. */
export interface ResolvedOptions {
  model: ServingModel | string | object;
  engine: Engine | undefined;
  store: ChurnStore | undefined;
  dataDir: string;
  identify: (req: Request) => string | null | undefined;
  features: ((req: Request) => RawRecord) | undefined;
  policy: PolicySettings;
  adminToken: string | undefined;
  storeTimeoutMs: number;
  cacheTtlMs: number;
  cacheMaxAgeMs: number;
  bands: { medium: number; high: number };
  batchLimit: number;
  bodyLimit: string | number;
  modelBodyLimit: string | number;
  clock: () => number;
  registry: Registry;
}

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `expected ${what}`);
const nonNegative = z.number().min(0);
const sizeLimit = z.union([z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)$/i, 'expected a size such as "100kb"'), z.number().int().positive()]);

const ruleSchema = z
  .strictObject({ feature: z.string().min(1), atLeast: z.number().optional(), atMost: z.number().optional() })
  .refine((rule) => rule.atLeast !== undefined || rule.atMost !== undefined, 'expected "atLeast" and/or "atMost"');

const actionSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected 1-40 letters, digits, "_" or "-"')
    .refine((name) => name !== 'none', '"none" is reserved for doing nothing'),
  cost: nonNegative,
  successRate: z.number().min(0).max(1),
  cooldownMs: nonNegative.default(7 * DAY_MS),
  maxPerCustomer: z.number().int().positive().optional(),
  eligibility: z.array(ruleSchema).default([]),
});

const DEFAULT_CACHE_MAX_AGE_MS = 60_000;

const optionsSchema = z.strictObject({
  model: z.union([z.string().min(1), z.object({}).loose()], 'expected a ChurnModel, a model file object or a path'),
  engine: z.object({ createNetwork: fn('an engine') }).loose().optional(),
  store: z.object({ getCustomerState: fn('a ChurnStore'), recordDecision: fn('a ChurnStore') }).loose().optional(),
  dataDir: z.string().min(1).optional(),
  identify: fn('a function (req) => customer id'),
  features: fn('a function (req) => record').optional(),
  policy: z
    .strictObject({
      actions: z.array(actionSchema).refine(uniqueNames, 'expected distinct action names'),
      capWindowMs: z.number().positive().default(30 * DAY_MS),
      ...learningPolicySchema,
    })
    .prefault({ actions: [] }),
  customerValue: z.union([nonNegative, fn('a number or a function (features) => number')]).default(100),
  holdoutFraction: z.number().min(0).lt(1).default(0.1),
  holdoutSalt: z.string().default('churnkit'),
  dailyBudget: z.number().min(0).or(z.literal(Infinity)).default(Infinity),
  adminToken: z.string().min(16, 'expected at least 16 characters').optional(),
  storeTimeoutMs: z.number().positive().max(60_000).default(5),
  cacheTtlMs: z.number().min(0).max(3_600_000).default(5000),
  cacheMaxAgeMs: z.number().min(0).max(3_600_000).optional(),
  bands: z
    .strictObject({ medium: z.number().gt(0).lt(1), high: z.number().gt(0).lt(1) })
    .refine((bands) => bands.medium < bands.high, 'expected medium < high')
    .default({ medium: 0.3, high: 0.6 }),
  batchLimit: z.number().int().min(1).max(100_000).default(1000),
  bodyLimit: sizeLimit.default('1mb'),
  modelBodyLimit: sizeLimit.default('50mb'),
  clock: fn('a function () => epoch ms').optional(),
  registry: z.instanceof(Registry, { message: 'expected a prom-client Registry' }).optional(),
});

function uniqueNames(actions: readonly { name: string }[]): boolean {
  return new Set(actions.map((action) => action.name)).size === actions.length;
}

/**
 * Validates `churn()` options and fills in defaults.
 *
 * @example
 * const resolved = resolveOptions({ model, identify: (req) => req.get('x-customer-id') });
 * resolved.storeTimeoutMs; // 5
 */
export function resolveOptions(options: ChurnOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.') || '(options)';
    throw new OptionsError('PLUGIN_OPTIONS', `churn() option "${path}": ${issue.message}`);
  }
  const value = parsed.data;
  const envToken = env.CHURNKIT_ADMIN_TOKEN;
  if (value.adminToken === undefined && envToken !== undefined && envToken.length > 0 && envToken.length < 16) {
    throw new OptionsError('PLUGIN_OPTIONS', 'CHURNKIT_ADMIN_TOKEN: expected at least 16 characters');
  }
  if (value.cacheMaxAgeMs !== undefined && value.cacheMaxAgeMs < value.cacheTtlMs) {
    throw new OptionsError('PLUGIN_OPTIONS', `churn() option "cacheMaxAgeMs": ${value.cacheMaxAgeMs} is less than cacheTtlMs (${value.cacheTtlMs}); expected at least cacheTtlMs`);
  }
  const customerValue = value.customerValue;
  const actions: ActionSpec[] = value.policy.actions.map((action) => ({
    name: action.name,
    cost: action.cost,
    successRate: action.successRate,
    cooldownMs: action.cooldownMs,
    maxPerCustomer: action.maxPerCustomer ?? Infinity,
    eligibility: action.eligibility,
  }));
  return {
    model: options.model,
    engine: options.engine,
    store: options.store,
    dataDir: value.dataDir ?? env.CHURNKIT_DATA_DIR ?? './data',
    identify: options.identify,
    features: options.features,
    policy: {
      actions,
      capWindowMs: value.policy.capWindowMs,
      dailyBudget: value.dailyBudget,
      holdoutFraction: value.holdoutFraction,
      holdoutSalt: value.holdoutSalt,
      customerValue:
        typeof customerValue === 'number'
          ? () => customerValue
          : (customerValue as (features: Readonly<Record<string, unknown>>) => number),
      ...resolveLearningPolicy(value.policy, actions.map((action) => action.name), value.holdoutFraction),
    },
    adminToken: value.adminToken ?? (envToken ? envToken : undefined),
    storeTimeoutMs: value.storeTimeoutMs,
    cacheTtlMs: value.cacheTtlMs,
    // A longer cacheTtlMs raises the default with it; 0 (no cache) keeps nothing.
    cacheMaxAgeMs: value.cacheMaxAgeMs ?? (value.cacheTtlMs === 0 ? 0 : Math.max(DEFAULT_CACHE_MAX_AGE_MS, value.cacheTtlMs)),
    bands: value.bands,
    batchLimit: value.batchLimit,
    bodyLimit: value.bodyLimit,
    modelBodyLimit: value.modelBodyLimit,
    clock: options.clock ?? Date.now,
    registry: options.registry ?? new Registry(),
  };
}
