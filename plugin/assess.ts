/**
 * The request-path computation behind `req.churn` and `POST /score`: stored features
 * merged with what the request knows, scored, then the policy's decision. It never
 * throws: a store timeout, a store error or a scoring error gives an `unavailable`
 * answer with the reason, counted by the fail-open metric.
 */
import { ChurnkitError } from '../src/errors.js';
import type { BandCutoffs } from '../src/model/risk-band.js';
import { publicMessage, reportError, type ErrorHook } from './error-report.js';
import type { InputCoverage } from './input-coverage.js';
import type { ServingMetrics } from './metrics.js';
import type { BudgetRefusals } from './policy/budget-refusals.js';
import { decide, type ChosenAction, type PolicySettings } from './policy/decide.js';
import { rateRecord, topReasons, type Rating } from './scoring.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';
import type { CachingStore, StoredFeatures } from './store/customer-cache.js';
import type { Group } from './store/types.js';
import { storeBudget, type StoreBudget } from './store-budget.js';
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
  /** Machine-readable cause: STORE_TIMEOUT, STORE_ERROR or SCORING_ERROR. */
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
  /** How much of each model's input the assessments supply (`/healthz`). */
  inputCoverage: InputCoverage;
  /** Where the errors behind `unavailable` answers go (the answers carry only codes and churnkit's own messages). */
  onError: ErrorHook | undefined;
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
  let cachedOrRead: StoredFeatures | Promise<StoredFeatures>;
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
    cachedOrRead = input.customerId === null ? null : entry !== undefined ? entry.features : context.store.readFeatures(input.customerId, now);
  } catch (error) {
    return failOpen(context, input.customerId, 'STORE_ERROR', error);
  }
  return assessAnew(context, input, now, cachedOrRead);
}

/** An answer as a promise: remembered answers carry theirs, made once. */
export function settled(assessment: ChurnAssessment | Promise<ChurnAssessment>): Promise<ChurnAssessment> {
  if (assessment instanceof Promise) return assessment;
  return (assessment as { [SETTLED]?: Promise<ChurnAssessment> })[SETTLED] ?? Promise.resolve(assessment);
}

const SETTLED = Symbol('churnkit.settled');

/** `assess` without a remembered answer: read (if not cached), score, decide. */
async function assessAnew(
  context: AssessContext,
  input: AssessInput,
  now: number,
  cachedOrRead: StoredFeatures | Promise<StoredFeatures>,
): Promise<ChurnAssessment> {
  // Started by the first store call that has to wait: a request served from memory sets no timer.
  let budget: StoreBudget | undefined;
  const storeCall = <T>(work: Promise<T>, what: string) => (budget ??= storeBudget(context.storeTimeoutMs)).call(work, what);
  let stage = 'STORE_ERROR';
  try {
    const stored = cachedOrRead instanceof Promise ? await storeCall(cachedOrRead, 'reading customer state') : cachedOrRead;
    // Nothing known (no stored state, no or an empty record) → the population prior.
    // Without request fields the stored features serve as they are (shared, frozen): no copy.
    const merged = isEmpty(input.record) ? stored : { ...stored, ...input.record };
    stage = 'SCORING_ERROR';
    if (merged !== null) context.inputCoverage.observe(input.model, merged);
    const score = rateRecord(input.model, merged, context.bands);
    context.metrics.scores.observe(score.probability);
    if (input.customerId === null) {
      return withLazyReasons(context, { status: 'ok', customerId: null, ...score, action: null, group: null, explanation: null }, input.model, merged);
    }
    stage = 'STORE_ERROR';
    const result = await decide(
      context.policy,
      context.store,
      {
        customerId: input.customerId,
        churnProbability: score.probability,
        features: merged ?? {},
        modelVersion: score.modelVersion,
        now,
      },
      storeCall,
      context.budgetRefusals,
    );
    context.metrics.groups.inc(result.group);
    if (result.logged) context.metrics.actions.inc({ action: result.decision.action ?? 'none', group: result.group });
    const explanation = result.decision.explanation;
    const served = withLazyReasons(
      context,
      {
        status: 'ok',
        customerId: input.customerId,
        ...score,
        action: result.action === null ? null : { ...result.action, explanation },
        group: result.group,
        explanation,
      },
      input.model,
      merged,
    );
    const entry = merged === stored && stored !== null && !result.logged ? context.store.freshEntry(input.customerId) : undefined;
    if (entry !== undefined && entry.features === stored) {
      // Shared from now on by the requests that reuse it, so nobody may change it under the others.
      Object.defineProperty(served, SETTLED, { value: Promise.resolve(served), enumerable: false });
      const remembered: RememberedAnswer = { model: input.model, day: utcDayIndex(result.decision.ts), served: Object.freeze(served) };
      entry.answer = remembered;
    }
    return served;
  } catch (error) {
    return failOpen(context, input.customerId, error instanceof ChurnkitError && error.code === 'STORE_TIMEOUT' ? 'STORE_TIMEOUT' : stage, error);
  } finally {
    budget?.release();
  }
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
  MODEL_UNAVAILABLE: 'no model is serving',
};

/**
 * The answer served instead of a score, counted by the fail-open metric; `cause` goes to the
 * operator's `onError`. The reason says what failed, plus the message of churnkit's own
 * errors (a timeout, a bad model output), never a foreign error's text: a hook is the
 * storefront's own code and a store driver's error can quote anything.
 */
export function failOpen(context: Pick<AssessContext, 'metrics' | 'onError'>, customerId: string | null, code: string, cause: unknown): ChurnUnavailable {
  context.metrics.failOpen.inc({ reason: code });
  reportError(context.onError, cause, { code, customerId });
  const summary = FAILED[code] ?? 'scoring failed';
  return { status: 'unavailable', customerId, code, reason: code === 'HOOK_ERROR' ? summary : publicMessage(summary, cause) };
}

/** The budget's accounting day: a reused answer never crosses into a new one. */
function utcDayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** What a served score's `reasons` are computed from, and, once read, the reasons. */
interface ReasonsSource {
  context: AssessContext;
  model: ServingModel;
  record: RawRecord | null;
  reasons?: Reason[];
}

const REASONS_SOURCE = Symbol('churnkit.reasonsSource');

/**
 * One accessor shared by every served score. V8 keeps an accessor in the object's hidden
 * class, so a getter closure made per score would give every score its own class (an
 * allocation in the old generation, and megamorphic code wherever scores are read).
 */
const reasonsProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: { [REASONS_SOURCE]: ReasonsSource }): Reason[] {
    const source = this[REASONS_SOURCE];
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

/**
 * Adds `reasons` as an enumerable, memoised getter. Explaining runs after the answer is
 * decided, so an explanation failure cannot fail open the whole score: it gives no
 * reasons and counts as `EXPLAIN_ERROR`.
 */
function withLazyReasons(
  context: AssessContext,
  served: Omit<ChurnScore, 'reasons'>,
  model: ServingModel,
  record: RawRecord | null,
): ChurnScore {
  const source: ReasonsSource = { context, model, record };
  Object.defineProperty(served, REASONS_SOURCE, { value: source, enumerable: false });
  return Object.defineProperty(served, 'reasons', reasonsProperty) as ChurnScore;
}

function isEmpty(record: RawRecord | null): boolean {
  return record === null || Object.keys(record).length === 0;
}
