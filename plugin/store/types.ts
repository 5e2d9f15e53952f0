/**
 * The store contract the plugin depends on. Two implementations: SQLite (embedded,
 * default, `sqlite-store.ts`) and Redis (several storefront instances, `redis-store.ts`).
 * Both are tested against the same behaviour suite.
 */
import type { ChurnkitError } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState, FeatureName } from '../../src/features/online-state.js';

export type Group = 'treatment' | 'holdout';

/** One policy decision, logged with everything needed to replay and explain it. */
export interface Decision {
  customerId: string;
  ts: number;
  day: string; // UTC yyyy-mm-dd, the budget's accounting day
  modelVersion: string;
  probability: number;
  customerValue: number;
  group: Group;
  /** Chosen action name, or null for "do nothing". */
  action: string | null;
  cost: number;
  /** Expected value of every candidate considered (name → EV), "none" included as 0. */
  expectedValues: Record<string, number>;
  /** Why candidates were skipped: name → reason (cooldown, cap, budget, ineligible). */
  skipped: Record<string, string>;
  /** Human-readable ranking, e.g. "coupon: EV 4.10 > care 2.30 > none". */
  explanation: string;
  /** The features the decision was made on, when the policy logs them (`policy.logFeatures`): what uplift models learn from. */
  features?: Record<string, string | number | boolean | null>;
  /** Present (true) when the action was drawn at random by the policy's exploration. */
  explored?: boolean;
}

export interface Outcome {
  customerId: string;
  ts: number;
  retained: boolean;
  /** The action the outcome belongs to; defaults to the customer's latest decision. */
  action?: string | null;
  group?: Group;
  value?: number;
}

export interface ReportRow {
  action: string; // "none" for no action
  group: Group;
  customers: number;
  retained: number;
}

/** A logged decision with the outcome recorded for it (null while none is). */
export interface LoggedDecision {
  decision: Decision;
  outcome: { ts: number; retained: boolean } | null;
}

/**
 * One request scored by the serving model (the champion) and, after the answer, by the
 * challenger beside it: what champion-and-challenger comparisons are made of.
 */
export interface ChallengerScore {
  customerId: string;
  /** When the champion scored the request, epoch ms. */
  ts: number;
  championVersion: string;
  championProbability: number;
  challengerVersion: string;
  challengerProbability: number;
}

/** A logged challenger score with the customer's first outcome recorded at or after it (null while none is). */
export interface LoggedChallengerScore {
  score: ChallengerScore;
  outcome: { ts: number; retained: boolean } | null;
}

/**
 * A listed customer: their state, or, when the stored state cannot be decoded (`STATE_FORMAT`),
 * `state: null` and why, so one bad row costs a listing that one customer, not the page.
 */
export type CustomerSummary = { customerId: string; state: CustomerState } | { customerId: string; state: null; unreadable: ChurnkitError };

/**
 * What the policy needs of a customer's past decision (cooldown and cap): when, and which
 * action. A logged decision is one; the request path reads no more than this.
 */
export type PastDecision = Pick<Decision, 'ts' | 'action'>;

/**
 * How far the decision's action may repeat for its customer: the policy's cooldown and
 * per-customer cap, as its ranking reads the customer's logged decisions (`rank-actions.ts`).
 * Given to `recordDecision`, a store checks them in the same atomic step as the budget. A
 * logged decision counts when it names the same action, whatever its group and cost: a
 * hold-out decision names the action the customer would have had (issued nothing, cost 0),
 * and the ranking counts it so, keeping both arms of the lift report selected alike.
 */
export interface RepeatLimits {
  /** The cooldown: a decision of the action logged after this time (epoch ms, exclusive: `now - cooldownMs`) rules it out. */
  cooldownAfter: number;
  /** The start of the cap window (epoch ms, inclusive: `now - capWindowMs`). */
  capSince: number;
  /** At most this many decisions of the action at or after `capSince`; Infinity: no cap. */
  maxPerCustomer: number;
}

/**
 * Which of the `RepeatLimits` the customer's logged decisions already reach: `recordDecision`
 * then wrote nothing. Both may be reached; the cooldown is named first, as the ranking does.
 */
export type RepeatRefusal = 'cooldown' | 'cap';

/** Decisions of one action in one group, counted, with their total cost (`ChurnStore.decisionSummary`). */
export interface DecisionSummaryRow {
  action: string;
  group: Group;
  count: number;
  cost: number;
}

/** What the request path reads for one customer (`ChurnStore.readCustomerView`). */
export interface CustomerView {
  /** The customer's features as of the time asked, or null for a customer with no stored state. */
  features: Record<FeatureName, number> | null;
  /**
   * Their decisions at or after the time asked, oldest first (as `decisionsSince`), as far as
   * the policy reads them: a store may give whole decisions, or only `ts` and `action`
   * (SQLite does: a decision logged with its features is kilobytes of JSON to parse).
   */
  decisions: PastDecision[];
}

/** What `eraseCustomer` removed. */
export interface ErasureReport {
  events: number;
  decisions: number;
  outcomes: number;
  /** Whether the customer had a stored state. */
  state: boolean;
}

export interface ChurnStore {
  /**
   * Appends events and folds them into each customer's state; resolves only once durable.
   * A batch is all-or-nothing: when the promise rejects, none of its events were stored, so
   * the caller may retry it. An event with an `id` that its customer already has stored is
   * skipped (acknowledged, never counted twice): retries of an acknowledged batch whose
   * answer was lost are safe too. Stores that cannot deduplicate must say so in their docs.
   */
  appendEvents(events: readonly ChurnEvent[]): Promise<void>;
  getCustomerState(customerId: string): Promise<CustomerState | null>;
  /** Up to `limit` customers, in a stable order (dashboard, batch scoring). */
  listCustomers(limit: number, offset?: number): Promise<CustomerSummary[]>;
  countCustomers(): Promise<number>;

  /** Decisions for a customer at or after `sinceTs` (cooldown and per-customer cap). */
  decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]>;
  /**
   * Atomically checks the day's budget and records the decision: if `decision.cost` would
   * take the day's spend over `dailyBudget`, nothing is written and false is returned; true
   * once it is recorded.
   *
   * Given `limits` (the policy always gives them), the same atomic step first checks the
   * customer's logged decisions of `decision.action`: when they already reach the cooldown or
   * the cap, nothing is written, nothing is charged, and the answer names which
   * (`RepeatRefusal`). Then no action is repeated within its cooldown or past its cap,
   * however many requests and instances decide for the customer at once. A store that
   * ignores `limits` (one written before they existed) still fits: its true and false mean
   * what they always did, and cooldown and cap then hold only as far as the policy's read
   * of the decisions is fresh (the customer cache's `cacheTtlMs`, and a race between two
   * requests). A refusal is a string, so test for a recorded decision with `=== true`.
   */
  recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits): Promise<boolean | RepeatRefusal>;
  spent(day: string): Promise<number>;

  recordOutcome(outcome: Outcome): Promise<void>;
  /** Outcomes grouped by (action, group) of the decision they belong to. */
  outcomeReport(): Promise<ReportRow[]>;
  /** Decision counts and total cost per action, and per group. */
  decisionSummary(): Promise<DecisionSummaryRow[]>;
  /**
   * Every logged decision, customer by customer (each customer's in time order), with the
   * outcome that belongs to it (`decision-outcomes.ts`): what uplift models are trained on.
   * For offline jobs, never the request path: it reads the whole log. Optional, so a store
   * written for the request path alone still fits; both bundled stores have it.
   */
  decisionLog?(): AsyncIterable<LoggedDecision>;

  /**
   * Every stored event, in batches (oldest stored first within a customer), as logged: with
   * keyed ids, customers are named by their keys. For offline jobs, never the request path:
   * it reads the whole log (`churnkit retrain` rebuilds point-in-time training rows from it).
   * Optional: a store that keeps only each customer's folded state (memory, KV, Durable
   * Object) has no event log to give, and leaves it out.
   */
  eventLog?(): AsyncIterable<readonly ChurnEvent[]>;

  /**
   * Optional. Logs champion and challenger scores of sampled requests (written after the
   * answer, never on the request path). A store without it cannot run a challenger: the
   * plugin refuses the `challenger` option and `PUT /challenger` with `STORE_NO_CHALLENGER_LOG`.
   * Both bundled Node stores have it; the edge stores do not.
   */
  recordChallengerScores?(scores: readonly ChallengerScore[]): Promise<void>;
  /**
   * Optional (with `recordChallengerScores`). Every logged challenger score, customer by
   * customer in time order, with the outcome that followed it: for the comparison report,
   * an offline read of the whole log.
   */
  challengerLog?(): AsyncIterable<LoggedChallengerScore>;

  close(): Promise<void>;

  /**
   * Optional. A mark that changes whenever another connection (another process, or another
   * store object on the same data) commits a write; this store object's own writes leave
   * it unchanged. Synchronous and cheap: the customer cache reads it on the request path to
   * keep an entry past `cacheTtlMs` while nobody else wrote (SQLite: `PRAGMA data_version`).
   * A store that cannot tell (Redis) leaves it out, and entries live `cacheTtlMs`.
   */
  externalWriteMark?(): number;

  /**
   * Optional. The customer's features as of `asOfMs` and their decisions at or after
   * `decisionsSinceTs`, read together: one statement (SQLite) or one round trip (Redis),
   * with the features read straight from the stored record (`storedFeaturesAt`). A store
   * without it is read with `getCustomerState` then `decisionsSince` (`customer-view.ts`).
   */
  readCustomerView?(customerId: string, asOfMs: number, decisionsSinceTs: number): Promise<CustomerView>;

  /**
   * Optional, beside `readCustomerView`: the same read answered synchronously, by a store
   * whose reads are synchronous anyway (SQLite's, on the main thread's connection). The
   * request path then reads with no promise and no timer (a read that blocks the event loop
   * cannot be timed out), and a cold view that decides nothing is answered in the same tick.
   * Throws what `readCustomerView` would reject with.
   */
  readCustomerViewNow?(customerId: string, asOfMs: number, decisionsSinceTs: number): CustomerView;

  /**
   * Optional. Erases everything stored about one customer, for a deletion request under data
   * protection law (GDPR art. 17, CCPA): their events, folded state, decisions and outcomes.
   * Once it resolves, durably, no read returns the customer or anything derived from them
   * alone; the days' spend stays (an amount, not personal data). A customer the store does not
   * know is no error (a report of zeros). A store without it answers the plugin's erasure
   * route with 501 `ERASURE_UNSUPPORTED`.
   */
  eraseCustomer?(customerId: string): Promise<ErasureReport>;
}
