/**
 * An in-process cache in front of any `ChurnStore`, for the request path: a product page
 * scored on every view would otherwise read and decode the same customer's state (up to
 * 365 day buckets of JSON), work out its 47 features and read their past decisions many
 * times a second.
 *
 * What it keeps, per customer, for at most `ttlMs` of the plugin's clock:
 * - the customer's features (`customerFeatures`), frozen and shared by the requests that
 *   follow; the decoded state itself is dropped at once, so it dies young and costs the
 *   garbage collector little. Dropped when this process appends events for the customer.
 * - the decisions read by `decisionsSince`, to which this process's own recorded
 *   decisions are added as they are written.
 * So this process always sees its own writes at once; writes made by another process
 * (another storefront instance on the same Redis or SQLite file) are seen at most `ttlMs`
 * late, and features are at most `ttlMs` old (a few seconds of "days since"). That is the
 * staleness bound: within it, another instance's events do not yet move the score, and an
 * action it issued may be repeated once (cooldown and cap are per instance for that long).
 *
 * The daily budget is not cached: the store's atomic check stays the authority (what it
 * already refused is remembered by the policy, `policy/budget-refusals.ts`).
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { featuresAt, type CustomerState } from '../../src/features/online-state.js';
import type { ChurnStore, Decision } from './types.js';

/** Customers kept at most; past it the oldest entry goes (entries are short-lived anyway). */
export const CACHED_CUSTOMERS = 10_000;

interface CacheOptions {
  /** How long a read may be served from memory, in ms of `clock`; 0 disables the cache. */
  ttlMs: number;
  /** The plugin's clock (epoch ms). */
  clock: () => number;
  /** Most customers kept. Default CACHED_CUSTOMERS. */
  maxCustomers?: number;
}

/** A customer's stored features; null for a customer the store does not know. */
export type StoredFeatures = Readonly<Record<string, number>> | null;

/** A store whose customer reads are cached, plus the features read the request path uses. */
export interface CachingStore extends ChurnStore {
  /**
   * The customer's stored features as of `nowMs`, or from up to `ttlMs` earlier. Answers
   * from memory synchronously (no promise, so nothing to time out), else reads the store.
   */
  customerFeatures(customerId: string, nowMs: number): StoredFeatures | Promise<StoredFeatures>;
}

interface CachedFeatures {
  readAt: number;
  features: StoredFeatures;
}

interface CachedDecisions {
  readAt: number;
  /** The `sinceTs` they were read from: a later `sinceTs` is a subset of them. */
  sinceTs: number;
  decisions: readonly Decision[];
}

/**
 * Wraps `store` with the per-customer read cache; other methods pass through. With
 * `ttlMs` 0 nothing is kept: every read goes to the store.
 *
 * @example
 * const store = cacheCustomerReads(openSqliteStore({ dataDir }), { ttlMs: 2000, clock: Date.now });
 * await store.customerFeatures('c1', Date.now()); // read, decoded and computed once...
 * await store.customerFeatures('c1', Date.now()); // ...then served from memory for up to 2 s
 */
export function cacheCustomerReads(store: ChurnStore, options: CacheOptions): CachingStore {
  return new CustomerCache(store, options.ttlMs, options.clock, options.maxCustomers ?? CACHED_CUSTOMERS);
}

class CustomerCache implements CachingStore {
  private readonly features = new Map<string, CachedFeatures>();
  private readonly decisions = new Map<string, CachedDecisions>();
  /** Counts this process's writes, so a read that raced one is served but not cached. */
  private appends = 0;
  private recordedDecisions = 0;

  constructor(
    private readonly store: ChurnStore,
    private readonly ttlMs: number,
    private readonly clock: () => number,
    private readonly maxCustomers: number,
  ) {}

  async appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    // Counted on both sides of the write: a read overlapping it at any point is not cached.
    this.appends++;
    try {
      await this.store.appendEvents(events);
    } finally {
      this.appends++;
      // Dropped after the write (a read racing it must not re-cache the old state) and
      // even when it failed (it may have been partly applied by a non-transactional store).
      for (const event of events) this.features.delete(event.customerId);
    }
  }

  customerFeatures(customerId: string, nowMs: number): StoredFeatures | Promise<StoredFeatures> {
    const now = this.clock();
    const cached = this.features.get(customerId);
    if (cached !== undefined && this.fresh(cached.readAt, now)) return cached.features;
    return this.readFeatures(customerId, nowMs, now);
  }

  getCustomerState(customerId: string): Promise<CustomerState | null> {
    return this.store.getCustomerState(customerId);
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    const now = this.clock();
    const cached = this.decisions.get(customerId);
    if (cached !== undefined && this.fresh(cached.readAt, now) && sinceTs >= cached.sinceTs) {
      return cached.decisions.filter((decision) => decision.ts >= sinceTs);
    }
    const recordedBefore = this.recordedDecisions;
    const decisions = await this.store.decisionsSince(customerId, sinceTs);
    if (this.recordedDecisions === recordedBefore) this.remember(this.decisions, customerId, { readAt: now, sinceTs, decisions: [...decisions] });
    return decisions;
  }

  async recordDecision(decision: Decision, dailyBudget: number): Promise<boolean> {
    const recorded = await this.store.recordDecision(decision, dailyBudget);
    if (recorded) {
      this.recordedDecisions++;
      const cached = this.decisions.get(decision.customerId);
      if (cached !== undefined) cached.decisions = [...cached.decisions, decision];
    }
    return recorded;
  }

  listCustomers(limit: number, offset?: number) {
    return this.store.listCustomers(limit, offset);
  }

  countCustomers() {
    return this.store.countCustomers();
  }

  spent(day: string) {
    return this.store.spent(day);
  }

  recordOutcome(outcome: Parameters<ChurnStore['recordOutcome']>[0]) {
    return this.store.recordOutcome(outcome);
  }

  outcomeReport() {
    return this.store.outcomeReport();
  }

  decisionSummary() {
    return this.store.decisionSummary();
  }

  close() {
    this.features.clear();
    this.decisions.clear();
    return this.store.close();
  }

  private async readFeatures(customerId: string, nowMs: number, now: number): Promise<StoredFeatures> {
    const appendsBefore = this.appends;
    const state = await this.store.getCustomerState(customerId);
    // Frozen: the object is shared by requests, and it reaches user code (customerValue).
    const features = state === null ? null : Object.freeze(featuresAt(state, nowMs));
    if (this.appends === appendsBefore) this.remember(this.features, customerId, { readAt: now, features });
    return features;
  }

  /** Inserts as the newest entry, evicting the oldest past the bound (a Map keeps insertion order). */
  private remember<T>(entries: Map<string, T>, key: string, value: T): void {
    if (this.ttlMs <= 0) return;
    entries.delete(key);
    if (entries.size >= this.maxCustomers) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
  }

  /** A clock that went backwards (tests, NTP steps) makes an entry stale rather than immortal. */
  private fresh(readAt: number, now: number): boolean {
    return now >= readAt && now - readAt < this.ttlMs;
  }
}
