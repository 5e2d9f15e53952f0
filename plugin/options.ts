/**
 * The options every churnkit serving adapter shares (Express, fetch, Hono): validated once,
 * at construction, into the fully resolved object the request path uses. A typo or a wrong
 * type fails the factory with an `OptionsError` naming the option; nothing on the hot path
 * re-checks options. Each adapter adds its own options to `servingOptionFields` (body
 * limits, metrics registry, base path) and names what its hooks receive (`Req`).
 */
import type { Engine } from '../src/engine/types.js';
import type { LoadEngineOptions } from '../src/engine/load-engine.js';
import type { BandCutoffs } from '../src/model/risk-band.js';
import { OptionsError } from '../src/errors.js';
import { churnDefinitionField, resolveChurnDefinition, type ChurnDefinition, type ChurnDefinitionOptions } from './churn-definition.js';
import type { DriftSettings } from './drift/drift-monitor.js';
import { fewestWhenFull } from './drift/rolling-counts.js';
import { resolveEventTimePolicy, type EventTimePolicy, type EventTimePolicyOptions } from '../src/events/event-time-policy.js';
import type { ErrorHook } from './error-report.js';
import { suggestedOption } from './validation/option-suggestion.js';
import { checkUpliftModelFit, DEFAULT_MAX_MISSING_SHARE, type ModelFitPolicy } from './model-fit.js';
import type { ActionSpec } from './policy/expected-value.js';
import type { PolicySettings } from './policy/decide.js';
import { learningPolicySchema, resolveLearningPolicy, type LearningPolicyOptions } from './policy/learning-options.js';
import type { RawRecord, ServingModel } from './serving-model.js';
import type { ChurnStore } from './store/types.js';
import { z } from './validation/zod.js';
import { DAY_MS } from '../src/events/day.js';
import { ACTION_NAME, ACTION_NAME_RULE } from './policy/action-name.js';

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

/**
 * Which engine runs a model file: an engine already loaded, or how to load the kernel
 * (`{ kernel }`: a `WebAssembly.Module` in a Worker, bytes elsewhere; `{ simd }`, ...). A kernel that cannot load is an error
 * naming why, unless `fallback: 'js'` asks for the pure-TypeScript engine.
 */
export type EngineOption = Engine | LoadEngineOptions;

/** Options shared by every adapter. `Req` is what the `identify` and `features` hooks receive. */
export interface ServingOptions<Req> {
  /** A loaded model, a parsed model file object, or (Node) the path of a model file. */
  model: ServingModel | string | object;
  /**
   * The engine that runs a model file: a loaded `Engine`, or kernel loading options. Default:
   * the WebAssembly kernel, and an error if it cannot load (`{ fallback: 'js' }` accepts the
   * pure-TypeScript engine instead).
   */
  engine?: EngineOption;
  /** Where customer state, decisions and outcomes live. */
  store?: ChurnStore;
  /** The customer behind a request (session, cookie, auth), or null/undefined if anonymous. */
  identify: (req: Req) => string | null | undefined;
  /** What the request itself knows (cart size, coupon viewed, ...); wins over stored features. */
  features?: (req: Req) => RawRecord;
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
   * no other process has written to it since (SQLite; other stores have no such report), ms:
   * features up to this old, in "days since" terms. At least `cacheTtlMs`. Default 60000.
   */
  cacheMaxAgeMs?: number;
  /**
   * Probability cut-offs of the medium and high bands. Default: the serving model's, as the
   * CLI's `predict` uses them (medium from threshold/2, high from the threshold; src/model/risk-band.ts).
   */
  bands?: BandCutoffs;
  /**
   * Drift of live traffic against the serving model's reference distribution (docs/plugin.md,
   * "Drift"): over the last `window` customers counted (default 5000), counting a `sample`
   * share of those scored (default 1: all; counted after the answer; a window covers
   * window ÷ sample scorings), with no PSI before
   * `minObservations` customers (default 200, or the fewest a smaller window holds once full;
   * more than that is refused). `false` turns it off.
   */
  drift?: false | { window?: number; sample?: number; minObservations?: number };
  /**
   * A challenger model beside the serving one (a loaded model, a parsed model file or, in
   * Node, a path): a `challengerSample` share of identified customers' scorings is scored by
   * it too, after the answer, and both scores are logged in the store for `GET /challenger`.
   * Needs a store that logs them (SQLite, Redis). `PUT /challenger` sets it at run time.
   */
  challenger?: ServingModel | string | object;
  /** Share of identified customers' scorings the challenger scores, in (0, 1]. Default 0.1. */
  challengerSample?: number;
  /**
   * What churned means for this store, for everything that labels customers from its event
   * log (`GET /challenger`, and the Express plugin's scheduled `retrain`): no `active` event
   * (default `['order']`) within `horizon` (default `90d`) after the score, from `gap`
   * (default `0d`) on. Use the definition the serving model was trained with.
   */
  churnDefinition?: ChurnDefinitionOptions;
  /** Most items in one batch request (scores or events). Default 1000. */
  batchLimit?: number;
  /** Largest JSON body of the routes, e.g. "100kb", or bytes. Default "1mb". */
  bodyLimit?: string | number;
  /** Current time in epoch ms (tests). Default `Date.now`. */
  clock?: () => number;
  /**
   * Which event times `POST /events` accepts (docs/events.md, "Event times"): from
   * `earliestMs` (default 1990-01-01) to now plus `futureSkewMs` (default 5 minutes, at most a
   * day). An event outside is refused with a 400 naming it, and nothing of its batch is stored.
   */
  eventTimes?: EventTimePolicyOptions;
  /**
   * How a model is checked against what the store produces, at start-up and at `PUT /model`:
   * at most `maxMissingShare` (default 0.25) of its inputs may be neither a store feature nor
   * one of `requestFeatures` (fields the `features(req)` hook or score records supply);
   * `false` turns the check off.
   */
  modelFit?: false | { requestFeatures?: string[]; maxMissingShare?: number };
  /**
   * Store customer ids as keyed hashes: every id the store receives is `h:` +
   * base64url(HMAC-SHA256(`hmacKey`, id)), the keys the Node stores' `customerIdKey` writes, so
   * the store holds no raw customer id (the store's own data, and what a copy
   * of it leaks). Keep the key secret and stable: a new key starts every customer afresh.
   */
  customerIds?: { hmacKey: string };
  /**
   * Told of every failure a caller sees only as a code (a store error, a hook or the model
   * throwing, a route's internal error), with the error itself: answers never carry a foreign
   * error's message or stack. Default: nothing is reported (the fail-open metric counts them).
   */
  onError?: ErrorHook;
}

/** The shared options after validation and defaults: what the serving core runs on. */
export interface ResolvedServingOptions<Req> {
  model: ServingModel | string | object;
  engine: EngineOption;
  store: ChurnStore | undefined;
  identify: (req: Req) => string | null | undefined;
  features: ((req: Req) => RawRecord) | undefined;
  policy: PolicySettings;
  storeTimeoutMs: number;
  cacheTtlMs: number;
  cacheMaxAgeMs: number;
  /** undefined: each serving model's own cut-offs. */
  bands: BandCutoffs | undefined;
  drift: DriftSettings | false;
  challenger: ServingModel | string | object | undefined;
  challengerSample: number;
  churnDefinition: ChurnDefinition;
  batchLimit: number;
  bodyLimit: string | number;
  clock: () => number;
  eventTimes: EventTimePolicy;
  /** null: `modelFit: false`, every model accepted. */
  modelFit: ModelFitPolicy | null;
  customerIds: { hmacKey: string } | undefined;
  onError: ErrorHook | undefined;
}

/** An option that must be a function; `what` says which, in the error. */
export const functionOption = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `expected ${what}`);
const nonNegative = z.number().min(0);

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i;
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A body size: "100kb", "1mb", ... or a number of bytes. */
export const sizeLimit = z.union([z.string().regex(SIZE, 'expected a size such as "100kb"'), z.number().int().positive()]);

/**
 * A validated size limit in bytes, as Express's body parser reads it (1kb = 1024 bytes).
 *
 * @example
 * bytesOf('1.5mb'); // 1572864
 */
export function bytesOf(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const [, amount, unit] = SIZE.exec(limit.trim())!;
  return Math.floor(Number(amount) * UNIT_BYTES[unit!.toLowerCase()]!);
}

const ruleSchema = z
  .strictObject({ feature: z.string().min(1), atLeast: z.number().optional(), atMost: z.number().optional() })
  .refine((rule) => rule.atLeast !== undefined || rule.atMost !== undefined, 'expected "atLeast" and/or "atMost"');

const actionSchema = z.strictObject({
  name: z
    .string()
    .regex(ACTION_NAME, `expected ${ACTION_NAME_RULE}`)
    .refine((name) => name !== 'none', '"none" is reserved for doing nothing'),
  cost: nonNegative,
  successRate: z.number().min(0).max(1),
  cooldownMs: nonNegative.default(7 * DAY_MS),
  maxPerCustomer: z.number().int().positive().optional(),
  eligibility: z.array(ruleSchema).default([]),
});

const DEFAULT_CACHE_MAX_AGE_MS = 60_000;
/** Below this many customers a PSI is mostly noise (about 9/n for an unchanged population over ten bins). */
const DEFAULT_MIN_OBSERVATIONS = 200;

/** Kernel loading options: the two choices the plugin makes are checked here, the kernel itself when it loads. */
const engineLoadOptions = z
  .object({ simd: z.union([z.literal('auto'), z.boolean()]).optional(), fallback: z.union([z.enum(['js', 'error']), functionOption('an engine factory (createJsEngine)')]).optional() })
  .loose();

/** The zod fields of the shared options; an adapter spreads them into its own strict object. */
export const servingOptionFields = {
  model: z.union([z.string().min(1), z.object({}).loose()], 'expected a ChurnModel, a model file object or a path'),
  engine: z.union([z.object({ createNetwork: functionOption('an engine') }).loose(), engineLoadOptions], 'expected an Engine or kernel loading options').optional(),
  store: z.object({ getCustomerState: functionOption('a ChurnStore'), recordDecision: functionOption('a ChurnStore') }).loose().optional(),
  identify: functionOption('a function (req) => customer id'),
  features: functionOption('a function (req) => record').optional(),
  policy: z
    .strictObject({
      actions: z.array(actionSchema).refine(uniqueNames, 'expected distinct action names'),
      capWindowMs: z.number().positive().default(30 * DAY_MS),
      ...learningPolicySchema,
    })
    .prefault({ actions: [] }),
  customerValue: z.union([nonNegative, functionOption('a number or a function (features) => number')]).default(100),
  holdoutFraction: z.number().min(0).lt(1).default(0.1),
  holdoutSalt: z.string().default('churnkit'),
  dailyBudget: z.number().min(0).or(z.literal(Infinity)).default(Infinity),
  storeTimeoutMs: z.number().positive().max(60_000).default(5),
  cacheTtlMs: z.number().min(0).max(3_600_000).default(5000),
  cacheMaxAgeMs: z.number().min(0).max(3_600_000).optional(),
  bands: z
    .strictObject({ medium: z.number().gt(0).lt(1), high: z.number().gt(0).lt(1) })
    .refine((bands) => bands.medium < bands.high, 'expected medium < high')
    .optional(),
  drift: z
    .union([
      z.literal(false),
      z.strictObject({
        window: z.number().int().min(10).max(10_000_000).optional(),
        sample: z.number().gt(0).max(1).optional(),
        minObservations: z.number().int().min(1).optional(),
      }),
    ])
    .optional(),
  challenger: z.union([z.string().min(1), z.object({}).loose()], 'expected a ChurnModel, a model file object or a path').optional(),
  challengerSample: z.number().gt(0).max(1).default(0.1),
  churnDefinition: churnDefinitionField,
  batchLimit: z.number().int().min(1).max(100_000).default(1000),
  bodyLimit: sizeLimit.default('1mb'),
  clock: functionOption('a function () => epoch ms').optional(),
  eventTimes: z.strictObject({ earliestMs: z.number().optional(), futureSkewMs: z.number().optional() }).optional(),
  modelFit: z
    .union([
      z.literal(false),
      z.strictObject({
        requestFeatures: z.array(z.string().min(1).max(100)).max(10_000).default([]),
        maxMissingShare: z.number().min(0).max(1).default(DEFAULT_MAX_MISSING_SHARE),
      }),
    ], 'expected false or { requestFeatures?, maxMissingShare? }')
    .default({ requestFeatures: [], maxMissingShare: DEFAULT_MAX_MISSING_SHARE }),
  customerIds: z.strictObject({ hmacKey: z.string().min(32, 'expected a key of at least 32 characters') }).optional(),
  onError: functionOption('a function (error, details) => void').optional(),
};

const servingSchema = z.strictObject(servingOptionFields);
type ParsedServingOptions = z.output<typeof servingSchema>;

function uniqueNames(actions: readonly { name: string }[]): boolean {
  return new Set(actions.map((action) => action.name)).size === actions.length;
}

/**
 * Parses `options` with an adapter's schema; the first problem becomes an `OptionsError`
 * naming the option, e.g. `churn() option "policy.actions.0.cost": ...`, or the unknown
 * one: `churn() has no option "cacheTTLMs" (did you mean "cacheTtlMs"?)`.
 *
 * @example
 * const value = parseOptions(z.strictObject({ ...servingOptionFields, basePath: z.string() }), options, 'churnHandler()');
 */
export function parseOptions<Schema extends z.ZodType>(schema: Schema, options: unknown, factory: string): z.output<Schema> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw unknownOptions(schema, issue.path, issue.keys, factory);
    throw new OptionsError('PLUGIN_OPTIONS', `${factory} option "${issue.path.join('.') || '(options)'}": ${issue.message}`);
  }
  return parsed.data;
}

/** Options the schema does not take, each named by its whole path; one misspelt by case says which was meant. */
function unknownOptions(schema: z.ZodType, path: readonly PropertyKey[], keys: readonly string[], factory: string): OptionsError {
  const named = (key: string) => `"${[...path, key].join('.')}"`;
  const meant = keys.length === 1 ? suggestedOption(schema, path, keys[0]!) : undefined;
  const suggestion = meant === undefined ? '' : ` (did you mean ${named(meant)}?)`;
  return new OptionsError('PLUGIN_OPTIONS', `${factory} has no option${keys.length === 1 ? '' : 's'} ${keys.map(named).join(', ')}${suggestion}`);
}

/**
 * The shared options resolved from their parsed `value`; functions, the model and the
 * store are taken from `options` as given (zod would copy them).
 *
 * @example
 * const resolved = resolveServingOptions(parseOptions(schema, options, 'churn()'), options, 'churn()');
 * resolved.storeTimeoutMs; // 5
 */
export function resolveServingOptions<Req>(value: ParsedServingOptions, options: ServingOptions<Req>, factory: string): ResolvedServingOptions<Req> {
  if (value.cacheMaxAgeMs !== undefined && value.cacheMaxAgeMs < value.cacheTtlMs) {
    throw new OptionsError('PLUGIN_OPTIONS', `${factory} option "cacheMaxAgeMs": ${value.cacheMaxAgeMs} is less than cacheTtlMs (${value.cacheTtlMs}); expected at least cacheTtlMs`);
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
  const modelFit = value.modelFit === false ? null : { requestFeatures: new Set(value.modelFit.requestFeatures), maxMissingShare: value.modelFit.maxMissingShare };
  const learning = resolveLearningPolicy(value.policy, actions.map((action) => action.name), value.holdoutFraction);
  for (const model of learning.uplift?.models.values() ?? []) checkUpliftModelFit(model, modelFit);
  return {
    model: options.model,
    engine: options.engine ?? {},
    store: options.store,
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
      ...learning,
    },
    storeTimeoutMs: value.storeTimeoutMs,
    cacheTtlMs: value.cacheTtlMs,
    // A longer cacheTtlMs raises the default with it; 0 (no cache) keeps nothing.
    cacheMaxAgeMs: value.cacheMaxAgeMs ?? (value.cacheTtlMs === 0 ? 0 : Math.max(DEFAULT_CACHE_MAX_AGE_MS, value.cacheTtlMs)),
    bands: value.bands,
    drift: value.drift === false ? false : resolveDrift(value.drift, factory),
    challenger: options.challenger,
    challengerSample: value.challengerSample,
    churnDefinition: resolveChurnDefinition(value.churnDefinition),
    batchLimit: value.batchLimit,
    bodyLimit: value.bodyLimit,
    clock: options.clock ?? Date.now,
    eventTimes: eventTimePolicy(value.eventTimes, factory),
    modelFit,
    customerIds: value.customerIds,
    onError: options.onError,
  };
}

/**
 * The `drift` option with its defaults. A window never holds more than `fewestWhenFull` of it
 * for long (it drops a tenth at a time), so a larger `minObservations` would leave every PSI
 * null, or null part of the time: refused when given, lowered to it when left to the default.
 */
function resolveDrift(options: Exclude<ServingOptions<unknown>['drift'], false>, factory: string): DriftSettings {
  const window = options?.window ?? 5000;
  const fewest = fewestWhenFull(window);
  const minObservations = options?.minObservations ?? Math.min(DEFAULT_MIN_OBSERVATIONS, fewest);
  if (minObservations > fewest) {
    throw new OptionsError(
      'PLUGIN_OPTIONS',
      `${factory} option "drift.minObservations": ${minObservations} is more than a window of ${window} holds once full (${fewest}: it drops its oldest tenth at a time), so the PSI would come and go, or never come; expected at most ${fewest}, or a larger window`,
    );
  }
  return { window, sample: options?.sample ?? 1, minObservations };
}

/** The event-time rule the readers use, resolved once; its bounds are checked there, named here. */
function eventTimePolicy(options: EventTimePolicyOptions | undefined, factory: string): EventTimePolicy {
  try {
    return resolveEventTimePolicy(options);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    throw new OptionsError('PLUGIN_OPTIONS', `${factory} option "eventTimes": ${error.message}`);
  }
}
