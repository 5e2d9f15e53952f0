/**
 * The embedded store (default, zero setup): one SQLite file through better-sqlite3,
 * in WAL mode, with prepared statements. Every write that must be consistent
 * (events + customer state, budget check + decision) is one transaction.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { OptionsError } from '../../src/errors.js';
import { pairOutcomes, type AttributedOutcome } from './decision-outcomes.js';
import { eventsByCustomer, foldEvents } from './fold-events.js';
import { fitsBudget, roundMoney } from './budget-check.js';
import { resolveOutcomeAttribution } from './outcome-attribution.js';
import { toPageCount } from './page-count.js';
import type { ChurnStore, CustomerSummary, Decision, Group, LoggedDecision, Outcome, ReportRow } from './types.js';
import { importPeer } from '../optional-peer.js';

// An optional peer dependency: imported here, not by churnkit/express, so only users of this store need it.
const Database = (await importPeer('better-sqlite3', 'the SQLite store (churnkit/stores/sqlite)', () => import('better-sqlite3'))).default;

/** Where the SQLite store keeps its file. */
export interface SqliteStoreOptions {
  /** Directory of the database file, created if missing. Default `./data`. */
  dataDir?: string;
  /** File name inside `dataDir`. Default `churnkit.sqlite`. */
  fileName?: string;
  /**
   * `full` (default): a resolved write survives a killed process and a power cut.
   * `normal`: survives a killed process, may lose the last commits on a power cut; only
   * for bulk loads that can be redone (seeding a demo), at a fraction of the fsyncs.
   */
  durability?: 'full' | 'normal';
}

/** Customers per read of the training log. */
const LOG_PAGE_CUSTOMERS = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_customer ON events (customer_id, ts);
CREATE TABLE IF NOT EXISTS customers (
  customer_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  day TEXT NOT NULL,
  action TEXT,
  grp TEXT NOT NULL,
  cost REAL NOT NULL,
  decision TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_customer ON decisions (customer_id, ts);
CREATE TABLE IF NOT EXISTS outcomes (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  retained INTEGER NOT NULL,
  action TEXT NOT NULL,
  grp TEXT,
  value REAL
);
CREATE TABLE IF NOT EXISTS budget (
  day TEXT PRIMARY KEY,
  spent REAL NOT NULL
);
`;

/**
 * Opens (creating if needed) the SQLite store at `${dataDir}/churnkit.sqlite`.
 * Synchronous because better-sqlite3 is; the store's methods still return promises so
 * callers are written once for every adapter.
 *
 * @example
 * const store = openSqliteStore({ dataDir: './data' });
 * await store.appendEvents([{ customerId: 'c1', ts: Date.now(), type: 'order', value: 42 }]);
 * const state = await store.getCustomerState('c1');
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): ChurnStore {
  const dataDir = options.dataDir ?? './data';
  const fileName = options.fileName ?? 'churnkit.sqlite';
  if (typeof dataDir !== 'string' || dataDir.length === 0) {
    throw new OptionsError('STORE_DATA_DIR', `store option "dataDir" must be a non-empty path, got ${JSON.stringify(dataDir)}`);
  }
  const durability = options.durability ?? 'full';
  if (durability !== 'full' && durability !== 'normal') {
    throw new OptionsError('STORE_DURABILITY', `store option "durability" must be "full" or "normal", got ${JSON.stringify(durability)}`);
  }
  if (typeof fileName !== 'string' || fileName.length === 0 || /[\\/]/.test(fileName)) {
    throw new OptionsError('STORE_FILE_NAME', `store option "fileName" must be a plain file name, got ${JSON.stringify(fileName)}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL already survives a killed process (the WAL
  // write reaches the OS before COMMIT returns), but it may lose the last commits on a
  // power cut or kernel panic because the WAL is only fsynced at checkpoints. A 2xx on
  // POST /churn/events promises "durable", so every events (and outcome) commit pays one
  // fsync; batching events per request amortises it. Decisions are the exception, see
  // recordDecision.
  db.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return new SqliteStore(db, durability);
}

interface PendingAppend {
  events: readonly ChurnEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

class SqliteStore implements ChurnStore {
  private readonly insertEvent;
  private readonly selectState;
  private readonly selectDataVersion;
  private readonly upsertState;
  private readonly selectCustomers;
  private readonly selectCustomerCount;
  private readonly selectDecisionsSince;
  private readonly selectLatestDecision;
  private readonly insertDecision;
  private readonly selectSpent;
  private readonly setSpent;
  private readonly insertOutcome;
  private readonly selectOutcomeReport;
  private readonly selectDecisionSummary;
  private readonly appendTransaction;
  private readonly decisionTransaction;
  /** Appends waiting for the next group commit (see appendEvents). */
  private waitingAppends: PendingAppend[] = [];

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly durability: 'full' | 'normal',
  ) {
    this.insertEvent = db.prepare<[string, number, string, string]>(
      'INSERT INTO events (customer_id, ts, type, event) VALUES (?, ?, ?, ?)',
    );
    this.selectState = db.prepare<[string], { state: string }>('SELECT state FROM customers WHERE customer_id = ?');
    // Changes when another connection commits; this connection's own commits leave it as it is.
    this.selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.upsertState = db.prepare<[string, string, number]>(
      `INSERT INTO customers (customer_id, state, updated_ts) VALUES (?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state, updated_ts = excluded.updated_ts`,
    );
    this.selectCustomers = db.prepare<[number, number], { customer_id: string; state: string }>(
      'SELECT customer_id, state FROM customers ORDER BY customer_id LIMIT ? OFFSET ?',
    );
    this.selectCustomerCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM customers');
    this.selectDecisionsSince = db.prepare<[string, number], { decision: string }>(
      'SELECT decision FROM decisions WHERE customer_id = ? AND ts >= ? ORDER BY ts, id',
    );
    this.selectLatestDecision = db.prepare<[string], { decision: string }>(
      'SELECT decision FROM decisions WHERE customer_id = ? ORDER BY ts DESC, id DESC LIMIT 1',
    );
    this.insertDecision = db.prepare<[string, number, string, string | null, string, number, string]>(
      'INSERT INTO decisions (customer_id, ts, day, action, grp, cost, decision) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectSpent = db.prepare<[string], { spent: number }>('SELECT spent FROM budget WHERE day = ?');
    this.setSpent = db.prepare<[string, number]>(
      `INSERT INTO budget (day, spent) VALUES (?, ?)
       ON CONFLICT (day) DO UPDATE SET spent = excluded.spent`,
    );
    this.insertOutcome = db.prepare<[string, number, number, string, string | null, number | null]>(
      'INSERT INTO outcomes (customer_id, ts, retained, action, grp, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // A customer counts once per (action, group): their latest recorded outcome wins.
    this.selectOutcomeReport = db.prepare<[], { action: string; grp: Group; customers: number; retained: number }>(
      `SELECT action, grp, COUNT(*) AS customers, SUM(retained) AS retained FROM (
         SELECT action, grp, retained,
                ROW_NUMBER() OVER (PARTITION BY action, grp, customer_id ORDER BY id DESC) AS newest
         FROM outcomes WHERE grp IS NOT NULL
       ) WHERE newest = 1 GROUP BY action, grp ORDER BY action, grp`,
    );
    this.selectDecisionSummary = db.prepare<[], { action: string; grp: Group; count: number; cost: number }>(
      `SELECT COALESCE(action, 'none') AS action, grp, COUNT(*) AS count, SUM(cost) AS cost
       FROM decisions GROUP BY COALESCE(action, 'none'), grp ORDER BY action, grp`,
    );

    this.appendTransaction = db.transaction((events: readonly ChurnEvent[]) => {
      for (const event of events) this.insertEvent.run(event.customerId, event.ts, event.type, JSON.stringify(event));
      for (const [customerId, customerEvents] of eventsByCustomer(events)) {
        const state = foldEvents(this.readState(customerId), customerEvents);
        const lastTs = customerEvents[customerEvents.length - 1]!.ts;
        this.upsertState.run(customerId, JSON.stringify(state), lastTs);
      }
    });
    this.decisionTransaction = db.transaction((decision: Decision, dailyBudget: number): boolean => {
      const spent = this.selectSpent.get(decision.day)?.spent ?? 0;
      if (!fitsBudget(spent, decision.cost, dailyBudget)) return false;
      this.insertDecision.run(
        decision.customerId,
        decision.ts,
        decision.day,
        decision.action,
        decision.group,
        decision.cost,
        JSON.stringify(decision),
      );
      this.setSpent.run(decision.day, roundMoney(spent + decision.cost));
      return true;
    });
  }

  /**
   * Group commit: appends made in the same turn of the event loop (concurrent requests)
   * share one transaction, hence one fsync, and each resolves only once it is committed.
   * With FULL durability the fsync is the whole cost of an append, so this multiplies
   * events/s by the number of requests in flight without weakening the promise.
   */
  appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waitingAppends.push({ events, resolve, reject });
      if (this.waitingAppends.length === 1) setImmediate(() => this.commitWaitingAppends());
    });
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    return this.readState(customerId);
  }

  async listCustomers(limit: number, offset = 0): Promise<CustomerSummary[]> {
    return this.selectCustomers
      .all(toPageCount(limit), toPageCount(offset))
      .map((row) => ({ customerId: row.customer_id, state: JSON.parse(row.state) as CustomerState }));
  }

  async countCustomers(): Promise<number> {
    return this.selectCustomerCount.get()?.n ?? 0;
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    return this.selectDecisionsSince.all(customerId, sinceTs).map((row) => JSON.parse(row.decision) as Decision);
  }

  async recordDecision(decision: Decision, dailyBudget: number): Promise<boolean> {
    if (this.durability === 'normal') return this.decisionTransaction(decision, dailyBudget);
    // Decisions are written on the shopper's request, and better-sqlite3 blocks the event
    // loop for the whole commit: an fsync there would stall every request in flight. They
    // commit with NORMAL (safe against a killed process; a power cut may lose the last few,
    // which under-counts the budget by at most those actions). The next FULL commit (an
    // event) fsyncs the WAL, these frames included.
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.decisionTransaction(decision, dailyBudget);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async spent(day: string): Promise<number> {
    return this.selectSpent.get(day)?.spent ?? 0;
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    const latest = this.selectLatestDecision.get(outcome.customerId);
    const { action, group } = resolveOutcomeAttribution(outcome, latest ? (JSON.parse(latest.decision) as Decision) : null);
    this.insertOutcome.run(outcome.customerId, outcome.ts, outcome.retained ? 1 : 0, action, group, outcome.value ?? null);
  }

  async outcomeReport(): Promise<ReportRow[]> {
    return this.selectOutcomeReport
      .all()
      .map((row) => ({ action: row.action, group: row.grp, customers: row.customers, retained: row.retained }));
  }

  async decisionSummary(): Promise<{ action: string; group: Group; count: number; cost: number }[]> {
    return this.selectDecisionSummary
      .all()
      .map((row) => ({ action: row.action, group: row.grp, count: row.count, cost: roundMoney(row.cost) }));
  }

  async *decisionLog(): AsyncIterable<LoggedDecision> {
    const outcomes = new Map<string, AttributedOutcome[]>();
    const outcomeRows = this.db
      .prepare<[], { customer_id: string; ts: number; retained: number; action: string; grp: Group | null }>(
        'SELECT customer_id, ts, retained, action, grp FROM outcomes ORDER BY id',
      )
      .all();
    for (const row of outcomeRows) {
      const list = outcomes.get(row.customer_id) ?? [];
      list.push({ ts: row.ts, retained: row.retained === 1, action: row.action, group: row.grp });
      outcomes.set(row.customer_id, list);
    }
    const nextCustomers = this.db.prepare<[string, number], string>(
      'SELECT DISTINCT customer_id FROM decisions WHERE customer_id > ? ORDER BY customer_id LIMIT ?',
    ).pluck();
    const decisionsBetween = this.db.prepare<[string, string], { customer_id: string; decision: string }>(
      'SELECT customer_id, decision FROM decisions WHERE customer_id >= ? AND customer_id <= ? ORDER BY customer_id, ts, id',
    );
    // Page by customer (keyset, not OFFSET), so each page is an index range and a customer is never split.
    for (let after = ''; ; ) {
      const customers = nextCustomers.all(after, LOG_PAGE_CUSTOMERS);
      if (customers.length === 0) return;
      const page = new Map<string, Decision[]>();
      for (const row of decisionsBetween.all(customers[0]!, customers[customers.length - 1]!)) {
        const list = page.get(row.customer_id) ?? [];
        list.push(JSON.parse(row.decision) as Decision);
        page.set(row.customer_id, list);
      }
      for (const [customerId, decisions] of page) yield* pairOutcomes(decisions, outcomes.get(customerId) ?? []);
      after = customers[customers.length - 1]!;
    }
  }

  async close(): Promise<void> {
    this.commitWaitingAppends();
    if (this.db.open) this.db.close();
  }

  private commitWaitingAppends(): void {
    const group = this.waitingAppends;
    if (group.length === 0) return;
    this.waitingAppends = [];
    try {
      this.appendTransaction(group.flatMap((append) => append.events));
      for (const append of group) append.resolve();
    } catch {
      // The group rolled back as a whole: commit each append alone, so one caller's bad
      // batch fails only that caller, and every batch stays all-or-nothing.
      for (const append of group) {
        try {
          this.appendTransaction(append.events);
          append.resolve();
        } catch (error) {
          append.reject(error);
        }
      }
    }
  }

  externalWriteMark(): number {
    return this.selectDataVersion.get()!;
  }

  private readState(customerId: string): CustomerState | null {
    const row = this.selectState.get(customerId);
    return row ? (JSON.parse(row.state) as CustomerState) : null;
  }
}
