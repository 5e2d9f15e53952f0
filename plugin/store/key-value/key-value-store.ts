/**
 * The `ChurnStore` contract over any key-value backend: process memory, Cloudflare Workers
 * KV, or a Durable Object's storage. One implementation, so the three cannot drift; what
 * differs is the guarantee each backend gives, which the caller documents (docs/edge.md):
 *
 * - read-modify-write steps (folding events into a customer's state; the budget, cooldown
 *   and cap check and the decision it allows) run one at a time per key *within this store object*
 *   (`KeyedLock`). Inside a Durable Object every client goes through the one object, so
 *   that is a global guarantee; two Workers isolates writing the same KV namespace each
 *   have their own store object, so on KV it is not.
 * - the raw event log is not kept, only each customer's folded state (what scoring reads),
 *   and the ids of their newest events (`REMEMBERED_EVENT_IDS`), so a retried batch is not
 *   counted twice; of their decisions, the newest that fit `DECISION_LIST_CHARS`.
 * - a backend with a key limit (Workers KV: 512 bytes) gets no write for a customer whose keys
 *   would pass it: the call fails with `STORE_KEY_TOO_LONG` before any write, so a batch is
 *   never half stored for it, and reads answer "nothing stored" without asking the backend.
 *
 * Layout, under the store's key prefix: `customer:<id>` (state JSON), `eventids:<id>` (the
 * ids of the customer's newest events, oldest first), `decisions:<id>` (that customer's
 * decisions, in order), `budget:<day>` (spend), and `outcome:<action>:<group>:<id>` (the
 * customer's newest outcome in that arm).
 */
import { ChurnkitError, excerpt } from '../../../src/errors.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import type { CustomerState } from '../../../src/features/online-state.js';
import { isUnicodeText, storableCustomerId } from '../../customer-id.js';
import { decisionCostRefusal, fitsBudget, roundMoney } from '../budget-check.js';
import { eventTimeRefusal } from '../event-time-check.js';
import { eventsByCustomer, foldEvents, unseenEvents } from '../fold-events.js';
import { resolveOutcomeAttribution } from '../outcome-attribution.js';
import { toPageCount } from '../page-count.js';
import { repeatRefusal } from '../repeat-check.js';
import type { ChurnStore, CustomerSummary, Decision, DecisionSummaryRow, ErasureReport, Group, Outcome, RepeatLimits, RepeatRefusal, ReportRow } from '../types.js';
import { KeyedLock } from './keyed-lock.js';
import { byActionThenGroup } from '../report-order.js';

/** A store that can erase a customer: every key-value store can. */
export type ErasingStore = ChurnStore & Required<Pick<ChurnStore, 'eraseCustomer'>>;

/** What the store needs from a backend: text values by key, and the keys under a prefix. */
export interface KeyValueBackend {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** Removes `key`; a key that is not there is no error. */
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`, in lexicographic order. */
  keys(prefix: string): Promise<string[]>;
  /** The longest key the backend takes, in UTF-8 bytes, and its name for messages; unbounded when absent. */
  keyLimit?: { bytes: number; backend: string };
}

interface StoredOutcome {
  action: string;
  group: Group;
  retained: boolean;
  /**
   * Whose it is. An action name may hold ':' (a caller of the store names actions as it
   * likes), as a customer id may, so a key cannot say: `outcome:a:treatment:treatment:x` is
   * x's "a:treatment" and "treatment:x"'s "a", both treated. Absent from outcomes stored
   * before it was kept.
   */
  customerId?: string;
}

/**
 * Event ids remembered per customer, the newest: a retry is skipped as long as fewer than
 * this many newer events of the customer came in between (retries come within seconds). A
 * bound, unlike SQLite and Redis, which keep every id: a Durable Object value holds at most
 * 128 KiB, and ids may be 200 characters long.
 */
export const REMEMBERED_EVENT_IDS = 256;

/** The longest action name (options.ts), part of a customer's outcome keys. */
const MAX_ACTION_NAME = 40;

const utf8 = new TextEncoder();

/**
 * The most JSON a customer's decision list may hold; the newest decisions that fit are kept,
 * the newest always. A policy with a short cooldown logs a decision on every view of the
 * customer, and the list is one value, read and rewritten whole by each decision under the
 * store's one decision lock: unbounded, one shopper reloading a page grew it by some 300
 * bytes a view, past what a Durable Object value holds (128 KiB), every decision of the whole
 * store waiting behind that customer's ever longer rewrite, and a memory store without end.
 * The policy reads only the newest: its cooldowns' and cap window's. 32 Ki characters stay
 * under 128 KiB even at 3 bytes each.
 */
export const DECISION_LIST_CHARS = 32 * 1024;

/** The lock of every decision write: the budget and the customer's decision list (its cooldowns and caps) change together. */
const DECISIONS_LOCK = 'decisions';

/**
 * A store over `backend`, every key under `keyPrefix`.
 *
 * @example
 * const store = keyValueStore(mapBackend(new Map()), 'churnkit:');
 * await store.appendEvents([{ customerId: 'c1', ts: Date.now(), type: 'order', value: 42 }]);
 */
export function keyValueStore(backend: KeyValueBackend, keyPrefix = ''): ErasingStore {
  return new KeyValueStore(backend, keyPrefix);
}

class KeyValueStore implements ErasingStore {
  private readonly lock = new KeyedLock();
  /**
   * The UTF-8 bytes a customer id may take under the backend's key limit, if it has one: what
   * its longest key, an outcome's (`outcome:<action>:treatment:<id>`, action names up to 40
   * characters), leaves.
   */
  private readonly idRoom: number | undefined;

  constructor(
    private readonly backend: KeyValueBackend,
    private readonly prefix: string,
  ) {
    const longestKeyBefore = this.key('outcome:', `${'a'.repeat(MAX_ACTION_NAME)}:treatment:`);
    this.idRoom = backend.keyLimit && backend.keyLimit.bytes - utf8.encode(longestKeyBefore).length;
  }

  async appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    const refused = eventTimeRefusal(events);
    if (refused !== null) throw refused;
    const byCustomer = eventsByCustomer(events);
    for (const customerId of byCustomer.keys()) this.checkCustomerKeys(customerId);
    // Each customer is its own keys, and a backend such as KV writes no two keys together: when
    // one customer's write fails the others' may still land. So the call settles only once every
    // customer's has, and its failure never comes before writes that are still under way.
    const written = await Promise.allSettled(
      [...byCustomer].map(([customerId, customerEvents]) => {
        const key = this.key('customer:', customerId);
        return this.lock.run(key, async () => {
          const idsKey = this.key('eventids:', customerId);
          const withIds = customerEvents.some((event) => event.id !== undefined);
          const [stored, storedIds] = await Promise.all([this.readJson<CustomerState>(key), withIds ? this.readJson<string[]>(idsKey) : null]);
          const ids = new Set(storedIds);
          const idsBefore = ids.size;
          // An event whose id the customer already has (stored, or earlier in this batch) is a retry.
          const fresh = unseenEvents(customerEvents, ids);
          if (fresh.length === 0) return;
          // The state first: should the ids' write fail, a retry counts the events twice rather than losing them.
          await this.backend.put(key, JSON.stringify(foldEvents(stored, fresh)));
          if (ids.size > idsBefore) await this.backend.put(idsKey, JSON.stringify([...ids].slice(-REMEMBERED_EVENT_IDS)));
        });
      }),
    );
    const failed = written.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    if (!this.customerKeysFit(customerId)) return null;
    return this.readJson<CustomerState>(this.key('customer:', customerId));
  }

  async listCustomers(limit: number, offset = 0): Promise<CustomerSummary[]> {
    const start = toPageCount(offset);
    const keys = (await this.backend.keys(this.key('customer:', ''))).slice(start, start + toPageCount(limit));
    const prefixLength = this.key('customer:', '').length;
    return Promise.all(
      keys.map(async (key) => ({ customerId: key.slice(prefixLength), state: (await this.readJson<CustomerState>(key))! })),
    );
  }

  async countCustomers(): Promise<number> {
    return (await this.backend.keys(this.key('customer:', ''))).length;
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    if (!this.customerKeysFit(customerId)) return [];
    const decisions = (await this.readJson<Decision[]>(this.key('decisions:', customerId))) ?? [];
    // Stable: decisions of the same ts keep the order they were logged in.
    return decisions.filter((decision) => decision.ts >= sinceTs).sort((a, b) => a.ts - b.ts);
  }

  async recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits): Promise<boolean | RepeatRefusal> {
    this.checkCustomerKeys(decision.customerId);
    const refused = decisionCostRefusal(decision.cost);
    if (refused !== null) throw refused;
    return this.lock.run(DECISIONS_LOCK, async () => {
      const budgetKey = this.key('budget:', decision.day);
      const decisionsKey = this.key('decisions:', decision.customerId);
      const [decisions, spent] = await Promise.all([this.readJson<Decision[]>(decisionsKey).then((stored) => stored ?? []), this.spent(decision.day)]);
      if (limits !== undefined && decision.action !== null) {
        const refusal = repeatRefusal(decisions, decision.action, limits);
        if (refusal !== null) return refusal;
      }
      if (!fitsBudget(spent, decision.cost, dailyBudget)) return false;
      await this.backend.put(decisionsKey, newestDecisionsJson([...decisions, decision]));
      if (decision.cost > 0) await this.backend.put(budgetKey, JSON.stringify(roundMoney(spent + decision.cost)));
      return true;
    });
  }

  async spent(day: string): Promise<number> {
    return (await this.readJson<number>(this.key('budget:', day))) ?? 0;
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    this.checkCustomerKeys(outcome.customerId);
    const decisions = (await this.readJson<Decision[]>(this.key('decisions:', outcome.customerId))) ?? [];
    const latest = decisions.reduce<Decision | null>((newest, decision) => (newest === null || decision.ts >= newest.ts ? decision : newest), null);
    const { action, group } = resolveOutcomeAttribution(outcome, latest);
    // An outcome nothing places in an arm is left out of the report, as in every store.
    if (group === null) return;
    const stored: StoredOutcome = { action, group, retained: outcome.retained, customerId: outcome.customerId };
    await this.backend.put(this.outcomeKey(action, group, outcome.customerId), JSON.stringify(stored));
  }

  /**
   * The customer's state, decisions and outcomes. The raw event log is not kept here, so
   * `events` counts the events folded into the state that was erased.
   */
  async eraseCustomer(customerId: string): Promise<ErasureReport> {
    if (!this.customerKeysFit(customerId)) return { events: 0, state: false, decisions: 0, outcomes: 0 };
    const outcomeKeys = await this.outcomeKeysOf(customerId);
    const stateKey = this.key('customer:', customerId);
    const state = await this.lock.run(stateKey, async () => {
      const erased = await this.readJson<CustomerState>(stateKey);
      await this.backend.delete(stateKey);
      // Their ids go too: the same events posted again are a new history.
      await this.backend.delete(this.key('eventids:', customerId));
      return erased;
    });
    const decisionsKey = this.key('decisions:', customerId);
    const decisions = await this.lock.run(DECISIONS_LOCK, async () => {
      const erased = (await this.readJson<Decision[]>(decisionsKey)) ?? [];
      await this.backend.delete(decisionsKey);
      return erased.length;
    });
    await Promise.all(outcomeKeys.map((key) => this.backend.delete(key)));
    return { events: state?.eventsTotal ?? 0, state: state !== null, decisions, outcomes: outcomeKeys.length };
  }

  async outcomeReport(): Promise<ReportRow[]> {
    const rows = new Map<string, ReportRow>();
    for (const outcome of await this.readAll<StoredOutcome>('outcome:')) {
      const row = rows.get(`${outcome.action}\u0000${outcome.group}`) ?? { action: outcome.action, group: outcome.group, customers: 0, retained: 0 };
      row.customers++;
      if (outcome.retained) row.retained++;
      rows.set(`${outcome.action}\u0000${outcome.group}`, row);
    }
    return [...rows.values()].sort(byActionThenGroup);
  }

  async decisionSummary(): Promise<DecisionSummaryRow[]> {
    const rows = new Map<string, DecisionSummaryRow>();
    for (const decisions of await this.readAll<Decision[]>('decisions:')) {
      for (const decision of decisions) {
        const action = decision.action ?? 'none';
        const row = rows.get(`${action}\u0000${decision.group}`) ?? { action, group: decision.group, count: 0, cost: 0 };
        row.count++;
        row.cost = roundMoney(row.cost + decision.cost);
        rows.set(`${action}\u0000${decision.group}`, row);
      }
    }
    return [...rows.values()].sort(byActionThenGroup);
  }

  async close(): Promise<void> {}

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}${id}`;
  }

  /** Where the customer's newest outcome in one arm is kept. */
  private outcomeKey(action: string, group: Group, customerId: string): string {
    return this.key('outcome:', `${action}:${group}:${customerId}`);
  }

  /**
   * The keys of the customer's outcomes: of those ending in their id, each whose outcome names
   * them, or, stored before outcomes named their customer, whose key is theirs for the
   * outcome's own action and group. The key's text alone cannot be split (an action may hold
   * ':'): read so, bob's "email:welcome" was erased with "treatment:bob", and kept with bob.
   */
  private async outcomeKeysOf(customerId: string): Promise<string[]> {
    const candidates = (await this.backend.keys(this.key('outcome:', ''))).filter((key) => key.endsWith(`:${customerId}`));
    const outcomes = await Promise.all(candidates.map((key) => this.readJson<StoredOutcome>(key)));
    return candidates.filter((key, i) => {
      const outcome = outcomes[i];
      if (outcome === null || outcome === undefined) return false;
      return outcome.customerId !== undefined ? outcome.customerId === customerId : key === this.outcomeKey(outcome.action, outcome.group, customerId);
    });
  }

  /** Whether the backend can hold every key of the customer, apart from every other's (`idRoom`, `storableCustomerId`). */
  private customerKeysFit(customerId: string): boolean {
    return isUnicodeText(customerId) && this.idFitsKeys(customerId);
  }

  /** Whether the id's UTF-8 fits in what the backend's key limit leaves it (`idRoom`). */
  private idFitsKeys(customerId: string): boolean {
    // A UTF-16 unit is at most 3 bytes of UTF-8: most ids are decided without encoding them.
    return this.idRoom === undefined || customerId.length * 3 <= this.idRoom || utf8.encode(customerId).length <= this.idRoom;
  }

  /** Throws `STORE_CUSTOMER_ID` or `STORE_KEY_TOO_LONG` for a customer the backend cannot hold apart, before anything is written. */
  private checkCustomerKeys(customerId: string): void {
    if (this.idFitsKeys(storableCustomerId(customerId))) return;
    const { bytes, backend } = this.backend.keyLimit!;
    throw new ChurnkitError(
      'STORE_KEY_TOO_LONG',
      `customer id "${excerpt(customerId)}" is ${utf8.encode(customerId).length} bytes of UTF-8, more than the ${this.idRoom} its keys leave it (${backend} keys hold ${bytes} bytes, the store's prefix and key names included); nothing was stored`,
    );
  }

  private async readJson<T>(key: string): Promise<T | null> {
    const text = await this.backend.get(key);
    return text === null ? null : (JSON.parse(text) as T);
  }

  /** Every value under one kind of key (reports: a scan, fine for a dashboard, never on the request path). */
  private async readAll<T>(kind: string): Promise<T[]> {
    const keys = await this.backend.keys(this.key(kind, ''));
    const values = await Promise.all(keys.map((key) => this.readJson<T>(key)));
    return values.filter((value): value is Awaited<T> => value !== null) as T[];
  }
}

/** The newest of `decisions` (oldest first) whose JSON array fits in `DECISION_LIST_CHARS`, the newest always, as that JSON. */
function newestDecisionsJson(decisions: readonly Decision[]): string {
  const texts = decisions.map((decision) => JSON.stringify(decision));
  let first = texts.length - 1;
  // The brackets, then each decision and the comma before it.
  let length = 2 + texts[first]!.length;
  while (first > 0 && length + 1 + texts[first - 1]!.length <= DECISION_LIST_CHARS) length += 1 + texts[--first]!.length;
  return `[${texts.slice(first).join(',')}]`;
}
