/**
 * An in-process cache in front of any `ChurnStore`, for the request path: a product page
 * scored on every view would otherwise read and decode the same customer's state (up to
 * 365 day buckets of JSON), work out its 47 features and read their past decisions many
 * times a second.
 *
 * What it keeps, per customer, for `ttlMs` of the plugin's clock (longer while nobody else writes, below):
 * - the customer's features (`freshEntry`, `readCustomerNow`), frozen and shared by the requests that
 *   follow; the decoded state itself is dropped at once, so it dies young and costs the
 *   garbage collector little. Dropped when this process appends events for the customer.
 * - the decisions read by `decisionsSince`, to which this process's own recorded
 *   decisions are added as they are written.
 * So this process always sees its own writes at once; writes made by another process
 * (another storefront instance on the same Redis or SQLite file) are seen at most `ttlMs`
 * late, and features are at most `ttlMs` old (a few seconds of "days since"). That is the
 * staleness bound: within it, another instance's events do not yet move the score, and its
 * decisions do not yet reach the ranking. They still bind: the store checks the cooldown
 * and cap again as it records a decision (`RepeatLimits`), and when it refuses one for a
 * decision logged meanwhile, the customer's kept decisions are dropped here, so the next
 * view reads them from the store. A store that ignores the limits (a custom one) gives no
 * such check: there an action another instance issued may be repeated once within the bound.
 *
 * Past `ttlMs`, an entry is kept up to `maxAgeMs` if the store can tell that nobody else
 * has written since it was read (`externalWriteMark`, SQLite's data_version): then the
 * entry is still what the store holds, and only the clock has moved (features up to
 * `maxAgeMs` old). One storefront process on its own SQLite file then reads each customer
 * once per `maxAgeMs` instead of once per `ttlMs`; any write by another process sends
 * every entry back to the `ttlMs` rule.
 *
 * The daily budget is not cached: the store's atomic check stays the authority (what it
 * already refused is remembered by the policy, `policy/budget-refusals.ts`).
 */
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { readCustomerView } from './customer-view.js';
import { erasureUnsupported } from './erasure-unsupported.js';
import { isRepeatRefusal } from './repeat-check.js';
import type { ChurnStore, CustomerView, Decision, ErasureReport, PastDecision, RepeatLimits, RepeatRefusal } from './types.js';

/** Customers kept at most; past it the oldest entry goes (entries are short-lived anyway). */
export const CACHED_CUSTOMERS = 10_000;

interface CacheOptions {
  /** How long a read may be served from memory, in ms of `clock`; 0 disables the cache. */
  ttlMs: number;
  /** How long, while the store's `externalWriteMark` stays the same. Default `ttlMs` (no extension). */
  maxAgeMs?: number;
  /** The plugin's clock (epoch ms). */
  clock: () => number;
  /** Most customers kept. Default CACHED_CUSTOMERS. */
  maxCustomers?: number;
}

/** A customer's stored features; null for a customer the store does not know. */
export type StoredFeatures = Readonly<Record<string, number>> | null;

/** A customer's cached features, and what the request path derived from exactly them. */
export interface CachedCustomer {
  readonly features: StoredFeatures;
  /**
   * The customer's decisions since `historySince` as far as the policy reads them, read with
   * the features and joined by the ones this process records after; undefined when they were
   * not read together (the policy then asks `decisionsSince`).
   */
  readonly history: readonly PastDecision[] | undefined;
  readonly historySince: number;
  /**
   * Set by the caller (assess.ts: an answer that decided nothing). It lives and dies with
   * these features: a re-read makes a new entry, without it. Kept here rather than in a map
   * of its own so a remembered answer costs one lookup: on a product page each extra table
   * touched is a cache miss, and together they were most of the plugin's cost per view.
   */
  answer: unknown;
}

/** A store whose customer reads are cached, plus the features read the request path uses. */
export interface CachingStore extends ChurnStore {
  /** Erases the customer from the store and from this cache; `ERASURE_UNSUPPORTED` when the store cannot. */
  eraseCustomer(customerId: string): Promise<ErasureReport>;
  /**
   * The customer's cached entry while it is fresh (`ttlMs`, or `maxAgeMs` while nobody else
   * writes), else undefined. Synchronous and never reads the store: nothing to time out.
   */
  freshEntry(customerId: string): CachedCustomer | undefined;
  /**
   * The customer's stored features as of `nowMs` and `decisionsSince(customerId,
   * decisionsSinceTs)` in one store read (one statement / one round trip where the store has
   * `readCustomerView`), both cached as they would be apart (none asked for with `Infinity`).
   * The features are frozen and shared by the requests that follow. Answered synchronously
   * when the store's read is (`readCustomerViewNow`), else the promise of it; throws (or
   * rejects) what the store's read does.
   */
  readCustomerNow(customerId: string, nowMs: number, decisionsSinceTs: number): CustomerRead | Promise<CustomerRead>;
}

/** A customer's features and decisions as `readCustomerNow` gives them. */
export interface CustomerRead {
  features: StoredFeatures;
  decisions: readonly PastDecision[];
}

/** When an entry was read, and what tells whether it still holds past `ttlMs`. */
interface Freshness {
  readAt: number;
  /** The store's external write mark when read (undefined: the store has none). */
  mark: number | undefined;
  /** When the mark was last found unchanged (first: readAt); checked again `ttlMs` later. */
  checkedAt: number;
}

/** The store's external write mark, and when it was asked for. */
interface ObservedMark {
  at: number;
  mark: number;
}

interface CachedFeatures extends Freshness, CachedCustomer {
  history: readonly PastDecision[] | undefined;
}

interface CachedDecisions extends Freshness {
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
 * await store.readCustomerNow('c1', Date.now(), Infinity); // read, decoded and computed once...
 * store.freshEntry('c1')?.features;                         // ...then served from memory for up to 2 s
 */
export function cacheCustomerReads(store: ChurnStore, options: CacheOptions): CachingStore {
  const maxAgeMs = Math.max(options.ttlMs, options.maxAgeMs ?? options.ttlMs);
  return new CustomerCache(store, options.ttlMs, maxAgeMs, options.clock, options.maxCustomers ?? CACHED_CUSTOMERS);
}

class CustomerCache implements CachingStore {
  private readonly features = new Map<string, CachedFeatures>();
  private readonly decisions = new Map<string, CachedDecisions>();
  /** Counts this process's writes of customer data (appends, erasures), so a read that raced one is served but not cached. */
  private appends = 0;
  private recordedDecisions = 0;
  /** The store's mark of others' writes when last asked (`observedMark`). */
  private lastMark: ObservedMark | undefined;

  constructor(
    private readonly store: ChurnStore,
    private readonly ttlMs: number,
    private readonly maxAgeMs: number,
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

  freshEntry(customerId: string): CachedCustomer | undefined {
    const cached = this.features.get(customerId);
    return cached !== undefined && this.fresh(cached, this.clock()) ? cached : undefined;
  }

  getCustomerState(customerId: string): Promise<CustomerState | null> {
    return this.store.getCustomerState(customerId);
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    const now = this.clock();
    const cached = this.decisions.get(customerId);
    if (cached !== undefined && this.fresh(cached, now) && sinceTs >= cached.sinceTs) {
      return cached.decisions.filter((decision) => decision.ts >= sinceTs);
    }
    const recordedBefore = this.recordedDecisions;
    const mark = this.observedMark(now)?.mark;
    const decisions = await this.store.decisionsSince(customerId, sinceTs);
    if (this.recordedDecisions === recordedBefore) this.remember(this.decisions, customerId, { readAt: now, mark, checkedAt: now, sinceTs, decisions: [...decisions] });
    return decisions;
  }

  async recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits): Promise<boolean | RepeatRefusal> {
    const recorded = await this.store.recordDecision(decision, dailyBudget, limits);
    if (isRepeatRefusal(recorded)) this.forgetHistory(decision.customerId);
    else if (recorded) {
      this.recordedDecisions++;
      const cached = this.decisions.get(decision.customerId);
      if (cached !== undefined) cached.decisions = [...cached.decisions, decision];
      const entry = this.features.get(decision.customerId);
      if (entry?.history !== undefined) entry.history = [...entry.history, { ts: decision.ts, action: decision.action }];
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

  /** Forgets the customer here too (features, remembered answer, decisions), before and after the store erases them. */
  async eraseCustomer(customerId: string): Promise<ErasureReport> {
    if (this.store.eraseCustomer === undefined) throw erasureUnsupported();
    this.forget(customerId);
    this.appends++;
    this.recordedDecisions++;
    try {
      return await this.store.eraseCustomer(customerId);
    } finally {
      // A read that raced the erasure is neither cached (the counters moved) nor kept.
      this.appends++;
      this.recordedDecisions++;
      this.forget(customerId);
    }
  }

  decisionSummary() {
    return this.store.decisionSummary();
  }

  close() {
    this.features.clear();
    this.decisions.clear();
    return this.store.close();
  }

  readCustomerNow(customerId: string, nowMs: number, decisionsSinceTs: number): CustomerRead | Promise<CustomerRead> {
    const now = this.clock();
    const appendsBefore = this.appends;
    const recordedBefore = this.recordedDecisions;
    // Taken before the read: a write by someone else racing it changes the mark, so the
    // entry cannot outlive `ttlMs` on a mark taken after that write.
    const mark = this.observedMark(now)?.mark;
    const keep = (view: CustomerView): CustomerRead => {
      // Frozen: the object is shared by requests, and it reaches user code (customerValue).
      const features = view.features === null ? null : Object.freeze(view.features);
      if (this.ttlMs <= 0) return { features, decisions: view.decisions };
      if (this.appends === appendsBefore) {
        // The decisions are kept only when no decision of this process raced the read.
        const history = decisionsSinceTs !== Infinity && this.recordedDecisions === recordedBefore ? view.decisions : undefined;
        this.remember(this.features, customerId, { readAt: now, mark, checkedAt: now, features, history, historySince: decisionsSinceTs, answer: undefined });
      }
      return { features, decisions: view.decisions };
    };
    if (this.store.readCustomerViewNow) return keep(this.store.readCustomerViewNow(customerId, nowMs, decisionsSinceTs));
    return readCustomerView(this.store, customerId, nowMs, decisionsSinceTs).then(keep);
  }

  /** The store's own view read, uncached (the cache's entry point is `readCustomerNow`). */
  readCustomerView(customerId: string, asOfMs: number, decisionsSinceTs: number): Promise<CustomerView> {
    return readCustomerView(this.store, customerId, asOfMs, decisionsSinceTs);
  }

  /**
   * The store refused a decision because of one logged meanwhile, which the history kept for
   * the customer lacks (another instance's, or another request's): that history goes, so the
   * next view reads the decisions from the store, and a read under way, which may predate
   * that decision, is not kept either. The features stay: the decisions are what went stale.
   */
  private forgetHistory(customerId: string): void {
    this.recordedDecisions++;
    this.decisions.delete(customerId);
    const entry = this.features.get(customerId);
    if (entry !== undefined) entry.history = undefined;
  }

  private forget(customerId: string): void {
    this.features.delete(customerId);
    this.decisions.delete(customerId);
  }

  /** Inserts as the newest entry, evicting the oldest past the bound (a Map keeps insertion order). */
  private remember<T>(entries: Map<string, T>, key: string, value: T): void {
    if (this.ttlMs <= 0) return;
    entries.delete(key);
    if (entries.size >= this.maxCustomers) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
  }

  /**
   * Within `ttlMs` of being read or of the last check; or, within `maxAgeMs`, while nobody
   * else has written to the store since it was read. The mark is asked once per `ttlMs`
   * for the whole cache (`observedMark`), not per entry nor on every request: each ask is a
   * store query (on SQLite a read transaction, two locking system calls), and asking per
   * entry cost a store of 2,000 warm customers 400 queries a second whatever its traffic.
   * An entry counts as checked when the mark was observed, not when it was compared, so
   * another process's write is still seen at most `ttlMs` late. A clock that went
   * backwards (tests, NTP steps) makes an entry stale rather than immortal.
   */
  private fresh(entry: Freshness, now: number): boolean {
    const age = now - entry.readAt;
    if (age < 0 || now < entry.checkedAt) return false;
    if (age < this.ttlMs) return true;
    if (age >= this.maxAgeMs) return false;
    if (now - entry.checkedAt < this.ttlMs) return true;
    const observed = this.observedMark(now);
    if (entry.mark === undefined || observed === undefined || entry.mark !== observed.mark) return false;
    entry.checkedAt = observed.at;
    return true;
  }

  /**
   * The store's mark of others' writes as observed less than `ttlMs` before `now`, asked
   * again when older; undefined when the store has none or cannot answer now. An older
   * observation is still one taken before a read that follows it, which is all a read's
   * entry needs: a write by another process after it only ends the entry sooner.
   */
  private observedMark(now: number): ObservedMark | undefined {
    if (this.maxAgeMs <= this.ttlMs || this.store.externalWriteMark === undefined) return undefined;
    const last = this.lastMark;
    if (last !== undefined && now >= last.at && now - last.at < this.ttlMs) return last;
    try {
      this.lastMark = { at: now, mark: this.store.externalWriteMark() };
    } catch {
      // A store that cannot answer (closed, down) extends nothing: the entry goes by ttlMs.
      this.lastMark = undefined;
    }
    return this.lastMark;
  }
}
