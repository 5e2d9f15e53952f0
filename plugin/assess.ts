/**
 * The request-path computation behind `req.churn` and `POST /score`: stored features
 * merged with what the request knows, scored, then the policy's decision. It never
 * throws: a store timeout, a store error or a scoring error gives an `unavailable`
 * answer with the reason, counted by the fail-open metric.
 */
import { ChurnkitError } from '../src/errors.js';
import type { BandCutoffs } from '../src/model/risk-band.js';
import type { Challenger } from './challenger/challenger.js';
import type { DriftMonitor } from './drift/drift-monitor.js';
import { publicMessage, reportError, type ErrorHook } from './error-report.js';
import type { InputCoverage } from './input-coverage.js';
import type { ServingMetrics } from './metrics.js';
import type { BudgetRefusals } from './policy/budget-refusals.js';
import { decideNow, decisionsWindowStart, type ChosenAction, type DecisionResult, type PolicySettings, type StoreCall } from './policy/decide.js';
import { rateRecord, topReasons, type Rating } from './scoring.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';
import type { CachingStore, StoredFeatures } from './store/customer-cache.js';
import type { Decision, Group, PastDecision } from './store/types.js';
import { storeBudget, type StoreBudget } from './store-budget.js';
import type { StoreHealth } from './store-health.js';
import { DAY_MS } from '../src/events/day.js';

/** A served churn assessment. */
export interface ChurnScore extends Rating {
  status: 'ok';
  /**
   * The three raw columns that moved this prediction most. Computed on first read
   * (explaining costs several predictions), so a page that only reads `action` or
   * `band` never pays for it; serialising the object reads it.
   */
  reasons: Reason[];
  customerId: string | null;
  /** What to do now (treatment group, when an action pays), else null. */
  action: (ChosenAction & { explanation: string }) | null;
  /** null for an anonymous request: without an id there is no one to act on. */
  group: Group | null;
  /** The decision's ranking, e.g. "coupon: EV 4.10 > care 2.30 > none" (null if anonymous). */
  explanation: string | null;
}

/** What is served instead when the store or the model failed: the page goes on without a score. */
export interface ChurnUnavailable {
  status: 'unavailable';
  customerId: string | null;
  /** Machine-readable cause: STORE_TIMEOUT, STORE_ERROR, SCORING_ERROR, HOOK_ERROR, INVALID_CUSTOMER_ID or MODEL_UNAVAILABLE. */
  code: string;
  reason: string;
}

export type ChurnAssessment = ChurnScore | ChurnUnavailable;

/** Everything `assess` needs, resolved once per plugin. */
export interface AssessContext {
  store: CachingStore;
  policy: PolicySettings;
  /** Budget refusals already seen today (per plugin): see policy/budget-refusals.ts. */
  budgetRefusals: BudgetRefusals;
  /** The `bands` option; undefined: each model's own cut-offs. */
  bands: BandCutoffs | undefined;
  storeTimeoutMs: number;
  clock: () => number;
  metrics: ServingMetrics;
  /** Counts scored customers against the model's reference distribution, after the answer. */
  drift: DriftMonitor;
  /** Scores a sample of identified customers with the challenger model, after the answer. */
  challenger: Challenger;
  /** How much of each model's input the assessments supply (`/healthz`). */
  inputCoverage: InputCoverage;
  /** Where the errors behind `unavailable` answers go (the answers carry only codes and churnkit's own messages). */
  onError: ErrorHook | undefined;
  /** The store's failures, for `/healthz`. */
  storeHealth: StoreHealth;
}

export interface AssessInput {
  customerId: string | null;
  /** Raw fields known now (request body or the `features(req)` hook); they win over stored features. */
  record: RawRecord | null;
  /** The model captured at the start of the request. */
  model: ServingModel;
}

/**
 * Scores one customer and decides on an action; never rejects.
 *
 * @example
 * const churn = await assess(context, { customerId: 'c-42', record: { cart_items: 3 }, model });
 * if (churn.status === 'ok' && churn.action) showOffer(churn.action.name);
 */
export function assess(context: AssessContext, input: AssessInput): Promise<ChurnAssessment> {
  return settled(assessNow(context, input));
}

/**
 * `assess`, answering synchronously when it can: a remembered answer (below) or a failure
 * before any store work. Otherwise the promise of the answer; it never rejects.
 *
 * @example
 * const churn = assessNow(context, input);
 * if (churn instanceof Promise) churn.then(render); else render(churn);
 */
export function assessNow(context: AssessContext, input: AssessInput): ChurnAssessment | Promise<ChurnAssessment> {
  let now: number;
  let read: KnownCustomer | Promise<KnownCustomer>;
  try {
    now = context.clock();
    const entry = input.customerId === null ? undefined : context.store.freshEntry(input.customerId);
    if (entry !== undefined && isEmpty(input.record)) {
      const earlier = entry.answer as RememberedAnswer | undefined;
      // The same shared features, model and day as an earlier request that decided nothing:
      // that answer stands (it would only differ by what the features' staleness bound
      // allows), and the very same frozen object is served again: a product page viewed
      // again costs one lookup and no allocation.
      if (earlier !== undefined && earlier.model === input.model && earlier.day === utcDayIndex(now)) {
        context.metrics.scores.observe(earlier.served.probability);
        context.metrics.groups.inc(earlier.served.group!);
        return earlier.served;
      }
    }
    // A read takes the customer's recent decisions with their state (one statement or round
    // trip), so deciding never reads them apart; cached features keep them (`history`).
    read =
      input.customerId === null
        ? ANONYMOUS
        : entry !== undefined
          ? { features: entry.features, decisions: entry.history !== undefined && entry.historySince <= decisionsWindowStart(context.policy, now) ? entry.history : undefined }
          : context.store.readCustomerNow(input.customerId, now, decisionsWindowStart(context.policy, now));
  } catch (error) {
    return failOpen(context, input.customerId, 'STORE_ERROR', error);
  }
  if (!(read instanceof Promise)) return scoreAndDecide(context, input, now, read, undefined);
  return readThenAssess(context, input, now, read);
}

/** What assessing works from: the stored features, and the decisions when they were read with them. */
interface KnownCustomer {
  features: StoredFeatures;
  decisions: readonly PastDecision[] | undefined;
}

const ANONYMOUS: KnownCustomer = Object.freeze({ features: null, decisions: undefined });

/** An answer as a promise: remembered answers carry theirs, made once. */
export function settled(assessment: ChurnAssessment | Promise<ChurnAssessment>): Promise<ChurnAssessment> {
  if (assessment instanceof Promise) return assessment;
  return (assessment as { [SETTLED]?: Promise<ChurnAssessment> })[SETTLED] ?? Promise.resolve(assessment);
}

const SETTLED = Symbol('churnkit.settled');

/** A store read that has to be waited for (Redis, or any store without a synchronous read), within the time budget. */
async function readThenAssess(context: AssessContext, input: AssessInput, now: number, read: Promise<KnownCustomer>): Promise<ChurnAssessment> {
  const budget = storeBudget(context.storeTimeoutMs);
  let stored: KnownCustomer;
  try {
    stored = await budget.call(read, 'reading customer state');
  } catch (error) {
    budget.release();
    return failOpen(context, input.customerId, timeoutOr(error, 'STORE_ERROR'), error);
  }
  return scoreAndDecide(context, input, now, stored, budget);
}

/**
 * Scores and decides once the customer is read. Synchronous when deciding needs no store
 * call (nothing pays, the usual case), else the promise of the answer. `budget`: the
 * request's store time budget when a read already started it (else started by the first
 * store call that has to wait: a request answered from memory or a synchronous read sets
 * no timer). Never throws or rejects: failures fail open.
 */
function scoreAndDecide(
  context: AssessContext,
  input: AssessInput,
  now: number,
  read: KnownCustomer,
  budget: StoreBudget | undefined,
): ChurnAssessment | Promise<ChurnAssessment> {
  const stored = read.features;
  let stage = 'SCORING_ERROR';
  try {
    // Nothing known (no stored state, no or an empty record) → the population prior.
    // Without request fields the stored features serve as they are (shared, frozen): no copy.
    const merged = isEmpty(input.record) ? stored : { ...stored, ...input.record };
    if (merged !== null) context.inputCoverage.observe(input.model, merged);
    const score = rateRecord(input.model, merged, context.bands);
    context.metrics.scores.observe(score.probability);
    if (merged !== null) context.drift.observe(input.model, merged, score.probability);
    if (input.customerId === null) {
      budget?.release();
      const anonymous = { status: 'ok', customerId: null, probability: score.probability, band: score.band, percentile: score.percentile, modelVersion: score.modelVersion, action: null, group: null, explanation: null } as const;
      return withLazyReasons(context, anonymous, input.model, merged, undefined);
    }
    if (merged !== null) context.challenger.observe(input.model, merged, score.probability, input.customerId, now);
    stage = 'STORE_ERROR';
    const storeCall: StoreCall = (work, what, write) =>
      (budget ??= storeBudget(context.storeTimeoutMs)).call(work, what, write === 'decision' ? (logged) => logged === true && context.metrics.lateDecisions.inc() : undefined);
    const decided = decideNow(
      context.policy,
      context.store,
      {
        customerId: input.customerId,
        churnProbability: score.probability,
        features: merged ?? {},
        modelVersion: score.modelVersion,
        now,
        ...(read.decisions !== undefined ? { history: read.decisions } : {}),
      },
      storeCall,
      context.budgetRefusals,
    );
    if (!(decided instanceof Promise)) {
      budget?.release();
      return served(context, input, stored, merged, score, decided);
    }
    return decided.then(
      (result) => {
        budget?.release();
        return served(context, input, stored, merged, score, result);
      },
      (error: unknown) => {
        budget?.release();
        return failOpen(context, input.customerId, timeoutOr(error, 'STORE_ERROR'), error);
      },
    );
  } catch (error) {
    budget?.release();
    return failOpen(context, input.customerId, timeoutOr(error, stage), error);
  }
}

/** `STORE_TIMEOUT` for the budget's error, else `code`. */
function timeoutOr(error: unknown, code: string): string {
  return error instanceof ChurnkitError && error.code === 'STORE_TIMEOUT' ? 'STORE_TIMEOUT' : code;
}

/** The served answer for a decision, remembered in the customer's cache entry when it decided nothing. */
function served(context: AssessContext, input: AssessInput, stored: StoredFeatures, merged: RawRecord | null, score: Rating, result: DecisionResult): ChurnScore {
  const customerId = input.customerId!;
  context.metrics.groups.inc(result.group);
  if (result.logged) context.metrics.actions.inc({ action: result.decision.action ?? 'none', group: result.group });
  const answer = withLazyReasons(
    context,
    {
      status: 'ok',
      customerId,
      // Field by field, not spread: a spread here cost every view several µs.
      probability: score.probability,
      band: score.band,
      percentile: score.percentile,
      modelVersion: score.modelVersion,
      action: result.action === null ? null : { ...result.action, explanation: result.decision.explanation },
      group: result.group,
    },
    input.model,
    merged,
    result.decision,
  );
  const entry = merged === stored && stored !== null && !result.logged ? context.store.freshEntry(customerId) : undefined;
  if (entry !== undefined && entry.features === stored) {
    // Shared from now on by the requests that reuse it, so nobody may change it under the others.
    Object.defineProperty(answer, SETTLED, { value: Promise.resolve(answer), enumerable: false });
    const remembered: RememberedAnswer = { model: input.model, day: utcDayIndex(result.decision.ts), served: Object.freeze(answer) };
    entry.answer = remembered;
  }
  return answer;
}

/**
 * An answer that decided nothing (no decision logged), kept in the customer's cache entry
 * beside the features it was computed from. The cache replaces the entry when the
 * customer's events change or it expires (`cacheTtlMs`, or `cacheMaxAgeMs` while no other
 * process writes to the store), which drops the answer with it; so a product page viewed
 * again within the bound costs no prediction, no policy run and no allocation. Decisions
 * that logged an action are never reused: the next request must see its cooldown.
 */
interface RememberedAnswer {
  model: ServingModel;
  day: number;
  served: ChurnScore;
}

/** What an unavailable answer says failed, whatever the error was (see error-report.ts). */
const FAILED: Record<string, string> = {
  STORE_TIMEOUT: 'the store did not answer in time',
  STORE_ERROR: 'the store failed',
  SCORING_ERROR: 'the model could not score this customer',
  HOOK_ERROR: 'the identify or features hook threw',
  INVALID_CUSTOMER_ID: 'the identify hook gave an id churnkit cannot act on',
  MODEL_UNAVAILABLE: 'no model is serving',
};

/**
 * The answer served instead of a score, counted by the fail-open metric; `cause` goes to the
 * operator's `onError`. The reason says what failed, plus the message of churnkit's own
 * errors (a timeout, a bad model output), never a foreign error's text: a hook is the
 * storefront's own code and a store driver's error can quote anything.
 */
export function failOpen(context: Pick<AssessContext, 'metrics' | 'onError' | 'storeHealth' | 'clock'>, customerId: string | null, code: string, cause: unknown): ChurnUnavailable {
  context.metrics.failOpen.inc({ reason: code });
  if (code === 'STORE_TIMEOUT' || code === 'STORE_ERROR') context.storeHealth.noteFailure(cause, code, context.clock());
  reportError(context.onError, cause, { code, customerId });
  const summary = FAILED[code] ?? 'scoring failed';
  return { status: 'unavailable', customerId, code, reason: code === 'HOOK_ERROR' ? summary : publicMessage(summary, cause) };
}

/** The budget's accounting day: a reused answer never crosses into a new one. */
function utcDayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** What a served score's `reasons` (and, for a decision, `explanation`) are read from; the reasons once worked out. */
interface LazySource {
  context: AssessContext;
  model: ServingModel;
  record: RawRecord | null;
  decision: Decision | undefined;
  reasons?: Reason[];
}

const LAZY_SOURCE = Symbol('churnkit.lazySource');

/**
 * Accessors shared by every served score. V8 keeps an accessor in the object's hidden
 * class, so a getter closure made per score would give every score its own class (an
 * allocation in the old generation, and megamorphic code wherever scores are read).
 */
const reasonsProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: { [LAZY_SOURCE]: LazySource }): Reason[] {
    const source = this[LAZY_SOURCE];
    if (source.reasons === undefined) {
      try {
        source.reasons = topReasons(source.model, source.record);
      } catch {
        source.context.metrics.failOpen.inc({ reason: 'EXPLAIN_ERROR' });
        source.reasons = [];
      }
    }
    return source.reasons;
  },
};

/** The decision's own explanation, read through: a decision that issued nothing words it only when read (`decideNow`). */
const explanationProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: { [LAZY_SOURCE]: LazySource }): string {
    return this[LAZY_SOURCE].decision!.explanation;
  },
};

const hiddenSource = (source: LazySource): PropertyDescriptor => ({ value: source, enumerable: false });

/**
 * Adds `explanation` (when there is a decision) and `reasons` as enumerable getters, in
 * that order (the answer's keys read as they always have). Explaining runs after the answer
 * is decided, so an explanation failure cannot fail open the whole score: it gives no
 * reasons and counts as `EXPLAIN_ERROR`.
 */
function withLazyReasons(
  context: AssessContext,
  served: Omit<ChurnScore, 'reasons' | 'explanation'> & { explanation?: null },
  model: ServingModel,
  record: RawRecord | null,
  decision: Decision | undefined,
): ChurnScore {
  Object.defineProperty(served, LAZY_SOURCE, hiddenSource({ context, model, record, decision }));
  if (decision !== undefined) Object.defineProperty(served, 'explanation', explanationProperty);
  return Object.defineProperty(served, 'reasons', reasonsProperty) as ChurnScore;
}

function isEmpty(record: RawRecord | null): boolean {
  return record === null || Object.keys(record).length === 0;
}
