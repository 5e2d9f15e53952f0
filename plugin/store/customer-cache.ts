/**
 * An in-process cache in front of any `ChurnStore`, for the request path: a product page
 * scored on every view would otherwise read and decode the same customer's state (up to
 * 365 day buckets of JSON) and past decisions many times a second.
 *
 * What it keeps, per customer, for at most `ttlMs` of the plugin's clock:
 * - the decoded state (`getCustomerState`), dropped when this process appends events for
 *   that customer;
 * - the decisions read by `decisionsSince`, to which this process's own recorded
 *   decisions are added as they are written.
 * So this process always sees its own writes at once; writes made by another process
 * (another storefront instance on the same Redis or SQLite file) are seen at most `ttlMs`
 * late. That is the staleness bound: within it, another instance's events do not yet move
 * the score, and an action it issued may be repeated once (cooldown and cap are per
 * instance for that long).
 * The daily budget is not cached: the store's atomic check stays the authority (what it
 * already refused is remembered by the policy, `policy/budget-refusals.ts`).
 */
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
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

interface CachedState {
  readAt: number;
  state: CustomerState | null;
}

interface CachedDecisions {
  readAt: number;
  /** The `sinceTs` they were read from: a later `sinceTs` is a subset of them. */
  sinceTs: number;
  decisions: readonly Decision[];
}

/**
 * Wraps `store` with the per-customer read cache; every other method passes through.
 * Returns `store` itself when `ttlMs` is 0.
 *
 * @example
 * const store = cacheCustomerReads(openSqliteStore({ dataDir }), { ttlMs: 2000, clock: Date.now });
 * await store.getCustomerState('c1'); // read and decoded once...
 * await store.getCustomerState('c1'); // ...then served from memory for up to 2 s
 */
export function cacheCustomerReads(store: ChurnStore, options: CacheOptions): ChurnStore {
  if (options.ttlMs <= 0) return store;
  return new CustomerCache(store, options.ttlMs, options.clock, options.maxCustomers ?? CACHED_CUSTOMERS);
}

class CustomerCache implements ChurnStore {
  private readonly states = new Map<string, CachedState>();
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
      for (const event of events) this.states.delete(event.customerId);
    }
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    const now = this.clock();
    const cached = this.states.get(customerId);
    if (cached !== undefined && this.fresh(cached.readAt, now)) return cached.state;
    const appendsBefore = this.appends;
    const state = await this.store.getCustomerState(customerId);
    if (this.appends === appendsBefore) remember(this.states, customerId, { readAt: now, state }, this.maxCustomers);
    return state;
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    const now = this.clock();
    const cached = this.decisions.get(customerId);
    if (cached !== undefined && this.fresh(cached.readAt, now) && sinceTs >= cached.sinceTs) {
      return cached.decisions.filter((decision) => decision.ts >= sinceTs);
    }
    const recordedBefore = this.recordedDecisions;
    const decisions = await this.store.decisionsSince(customerId, sinceTs);
    if (this.recordedDecisions === recordedBefore) remember(this.decisions, customerId, { readAt: now, sinceTs, decisions: [...decisions] }, this.maxCustomers);
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
    this.states.clear();
    this.decisions.clear();
    return this.store.close();
  }

  /** A clock that went backwards (tests, NTP steps) makes an entry stale rather than immortal. */
  private fresh(readAt: number, now: number): boolean {
    return now >= readAt && now - readAt < this.ttlMs;
  }
}

/** Inserts as the newest entry, evicting the oldest past `max` (Map keeps insertion order). */
function remember<T>(entries: Map<string, T>, key: string, value: T, max: number): void {
  entries.delete(key);
  if (entries.size >= max) entries.delete(entries.keys().next().value!);
  entries.set(key, value);
}
