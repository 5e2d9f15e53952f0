/**
 * The request-path computation behind `req.churn` and `POST /score`: stored features
 * merged with what the request knows, scored, then the policy's decision. It never
 * throws: a store timeout, a store error or a scoring error gives an `unavailable`
 * answer with the reason, counted by the fail-open metric.
 */
import { ChurnkitError } from '../src/errors.js';
import type { PluginMetrics } from './metrics.js';
import type { BudgetRefusals } from './policy/budget-refusals.js';
import { decide, type ChosenAction, type DecisionResult, type PolicySettings } from './policy/decide.js';
import { rateRecord, topReasons, type Rating } from './scoring.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';
import type { CachingStore } from './store/customer-cache.js';
import type { Group } from './store/types.js';
import { storeBudget } from './store-budget.js';
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
  bands: { medium: number; high: number };
  storeTimeoutMs: number;
  clock: () => number;
  metrics: PluginMetrics;
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
export async function assess(context: AssessContext, input: AssessInput): Promise<ChurnAssessment> {
  const budget = storeBudget(context.storeTimeoutMs);
  const storeCall = <T>(work: Promise<T>, what: string) => budget.call(work, what);
  let stage = 'STORE_ERROR';
  try {
    const now = context.clock();
    const cachedOrRead = input.customerId === null ? null : context.store.customerFeatures(input.customerId, now);
    // From memory the answer is already here: no store budget (timer) to start, no await.
    const stored = cachedOrRead instanceof Promise ? await storeCall(cachedOrRead, 'reading customer state') : cachedOrRead;
    // Nothing known (no stored state, no or an empty record) → the population prior.
    // Without request fields the stored features serve as they are (shared, frozen): no copy.
    const merged = isEmpty(input.record) ? stored : { ...stored, ...input.record };
    stage = 'SCORING_ERROR';
    // The same shared features, model and day as an earlier request that decided nothing:
    // that answer stands (it would only differ by what the features' staleness bound allows).
    const reusable = input.customerId !== null && merged === stored && stored !== null ? stored : null;
    const earlier = reusable === null ? undefined : undecided.get(reusable);
    const reuse = earlier !== undefined && earlier.model === input.model && utcDayIndex(earlier.result.decision.ts) === utcDayIndex(now);
    const score = reuse ? earlier.score : rateRecord(input.model, merged, context.bands);
    context.metrics.scores.observe(score.probability);
    if (input.customerId === null) {
      return withLazyReasons(context, { status: 'ok', customerId: null, ...score, action: null, group: null, explanation: null }, input.model, merged);
    }
    stage = 'STORE_ERROR';
    const result = reuse
      ? earlier.result
      : await decide(
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
    if (reusable !== null && !reuse && !result.logged) undecided.set(reusable, { model: input.model, score, result });
    context.metrics.groups.inc({ group: result.group });
    if (result.logged) context.metrics.actions.inc({ action: result.decision.action ?? 'none', group: result.group });
    const explanation = result.decision.explanation;
    const served = {
      status: 'ok' as const,
      customerId: input.customerId,
      ...score,
      action: result.action === null ? null : { ...result.action, explanation },
      group: result.group,
      explanation,
    };
    return withLazyReasons(context, served, input.model, merged);
  } catch (error) {
    const code = error instanceof ChurnkitError && error.code === 'STORE_TIMEOUT' ? 'STORE_TIMEOUT' : stage;
    context.metrics.failOpen.inc({ reason: code });
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'unavailable', customerId: input.customerId, code, reason };
  } finally {
    budget.release();
  }
}

/**
 * Answers that decided nothing (no decision logged), by the cached features object they
 * were computed from. The customer cache replaces that object when the customer's events
 * change or `cacheTtlMs` passes, which drops the entry with it; so a product page viewed
 * again within the bound costs no prediction and no policy run. Decisions that logged an
 * action are never reused: the next request must see its cooldown.
 */
const undecided = new WeakMap<object, { model: ServingModel; score: Rating; result: DecisionResult }>();

/** The budget's accounting day: a reused answer never crosses into a new one. */
function utcDayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

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
  let reasons: Reason[] | undefined;
  return Object.defineProperty(served, 'reasons', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (reasons !== undefined) return reasons;
      try {
        reasons = topReasons(model, record);
      } catch {
        context.metrics.failOpen.inc({ reason: 'EXPLAIN_ERROR' });
        reasons = [];
      }
      return reasons;
    },
  }) as ChurnScore;
}

function isEmpty(record: RawRecord | null): boolean {
  return record === null || Object.keys(record).length === 0;
}
