/**
 * The embedded store (default, zero setup): one SQLite file in WAL mode through
 * better-sqlite3, on three connections:
 * - reads run on the main thread's connection, which in WAL mode never waits for a writer
 *   (not even another process holding the write lock), with a 1 ms busy timeout for the
 *   rare moments SQLite itself makes a reader wait;
 * - events, outcomes and erasures go to a writer thread (`sqlite-write-worker.ts`) with its
 *   own connection, where requests arriving together share one transaction and one fsync
 *   (group commit), and a lock held by another process is waited for off the event loop;
 * - a decision (written on a shopper's request, against a time budget of a few ms) is
 *   committed on the main thread's second connection when SQLite's write lock is free, with
 *   no fsync (synchronous=NORMAL, as before the writer thread): tens of µs, and no thread
 *   to wake. When the lock is taken it is not waited for: the decision goes to the writer.
 * Every write that must be consistent (events + customer state, budget check + decision)
 * is one transaction; each request is all-or-nothing. Opened `readOnly` (offline jobs), the
 * store has only the read connection, and refuses writes (`sqlite-read-only.ts`).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { decodeCustomerState, storedFeaturesAt, type StoredState } from '../../src/features/state-codec.js';
import { ChurnkitError, OptionsError } from '../../src/errors.js';
import { customerSummary } from './customer-summary.js';
import { customerKeyer, type CustomerKeyer } from './customer-keys.js';
import { pairOutcomes, type AttributedOutcome } from './decision-outcomes.js';
import { importPeer } from '../optional-peer.js';
import { toPageCount } from './page-count.js';
import { afterOwnCommit, ReadSnapshot } from './sqlite-read-snapshot.js';
import { SqliteReportPages } from './sqlite-report-pages.js';
import { openReadOnlyConnection, refusedWrites } from './sqlite-read-only.js';
import { prepareSchema } from './sqlite-schema.js';
import { decisionCostRefusal } from './budget-check.js';
import { eventTimeRefusal } from './event-time-check.js';
import { SqliteWriteThread } from './sqlite-write-thread.js';
import { foreignCommitsStatement, SqliteWrites } from './sqlite-writes.js';
import type {
  ChallengerScore,
  ChurnStore,
  CustomerSummary,
  CustomerView,
  Decision,
  DecisionSummaryRow,
  ErasureReport,
  Group,
  LoggedChallengerScore,
  LoggedDecision,
  Outcome,
  PastDecision,
  RepeatLimits,
  RepeatRefusal,
  ReportRow,
} from './types.js';

/** A row of the `challenger_scores` table. */
interface ChallengerScoreRow {
  customer_id: string;
  ts: number;
  champion_version: string;
  champion_probability: number;
  challenger_version: string;
  challenger_probability: number;
}

// An optional peer dependency: imported here, not by churnkit/express, so only users of this store need it.
const Database = (await importPeer('better-sqlite3', 'the SQLite store (churnkit/stores/sqlite)', () => import('better-sqlite3'))).default;

/** Customers per read of the decision log. */
const LOG_PAGE_CUSTOMERS = 500;
/** Events per read of the event log. */
const LOG_PAGE_EVENTS = 10_000;
/** Challenger scores per read of the log: each costs an outcome lookup, about 4 µs, so a page holds the loop some 20 ms. */
const LOG_PAGE_SCORES = 5_000;

/** Where the SQLite store keeps its file, and how it writes. */
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
  /**
   * A secret (at least 16 bytes): customer ids are then stored as keyed hashes
   * (HMAC-SHA256), never as given. Every instance on the file needs the same secret. Setting
   * it on a file written without it starts every customer afresh. See docs/plugin.md.
   */
  customerIdKey?: string | Uint8Array;
  /** How long a write waits for a lock another process holds, on the writer thread. Default 5000 ms. */
  writeLockTimeoutMs?: number;
  /**
   * Open an existing store only to read it, beside the storefront that writes it (an offline
   * job): the file is neither created nor upgraded, no writer thread starts, and every write
   * rejects with `STORE_READ_ONLY`. The file must have this version's schema (`STORE_SCHEMA`).
   * Default `false`.
   */
  readOnly?: boolean;
}

/**
 * Opens (creating or upgrading if needed) the SQLite store at `${dataDir}/${fileName}`.
 * Synchronous: the tables are ready and the writer thread has started when it returns
 * (tens of milliseconds, once, at start-up).
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
  const writeLockTimeoutMs = options.writeLockTimeoutMs ?? 5_000;
  if (!Number.isInteger(writeLockTimeoutMs) || writeLockTimeoutMs < 0) {
    throw new OptionsError('STORE_LOCK_TIMEOUT', `store option "writeLockTimeoutMs" must be an integer >= 0, got ${String(writeLockTimeoutMs)}`);
  }
  const readOnly = options.readOnly ?? false;
  if (typeof readOnly !== 'boolean') {
    throw new OptionsError('STORE_READ_ONLY_OPTION', `store option "readOnly" must be true or false, got ${JSON.stringify(readOnly)}`);
  }
  const keyOf = customerKeyer(options.customerIdKey);
  const file = join(dataDir, fileName);
  if (readOnly) return new SqliteStore(openReadOnlyConnection(file), null, refusedWrites, keyOf, randomUUID());
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(file);
  // Opening may have to wait for another process's lock (creating or upgrading the tables):
  // at start-up, not on a request.
  db.pragma(`busy_timeout = ${writeLockTimeoutMs}`);
  try {
    db.pragma('journal_mode = WAL');
    prepareSchema(db);
  } catch (error) {
    db.close();
    throw error;
  }
  // From here on this connection only reads, and a WAL reader does not wait for writers.
  db.pragma('query_only = ON');
  db.pragma('busy_timeout = 1');
  // Decisions: never waits for the lock (busy timeout 0), never runs a checkpoint (the
  // writer thread's commits do), never fsyncs.
  const decisionDb = new Database(file);
  decisionDb.pragma('busy_timeout = 0');
  decisionDb.pragma('wal_autocheckpoint = 0');
  decisionDb.pragma('synchronous = NORMAL');
  const writerId = randomUUID();
  let writer: SqliteWriteThread;
  try {
    writer = new SqliteWriteThread({ file, durability, customerIdKey: options.customerIdKey, busyTimeoutMs: writeLockTimeoutMs, writerId });
  } catch (error) {
    decisionDb.close();
    db.close();
    throw error;
  }
  return new SqliteStore(db, { db: decisionDb, writes: new SqliteWrites(decisionDb, keyOf, writerId) }, writer, keyOf, writerId);
}

/** Where the store writes, or does not (read-only): the writer thread, or its stand-in that refuses every write. */
type WriteSide = Pick<SqliteWriteThread, 'write' | 'isClosed' | 'close'>;

class SqliteStore implements ChurnStore {
  private readonly selectState;
  private readonly selectRecentDecisions;
  private readonly selectCustomers;
  private readonly selectCustomerCount;
  private readonly selectDecisionsSince;
  private readonly selectSpent;
  /** The lift report's aggregates, read in pages. */
  private readonly report;
  private readonly selectDataVersion;
  private readonly selectForeignCommits;
  /** The request path's reads of one event-loop turn share one read transaction. */
  private readonly snapshot;
  /** The last `externalWriteMark` and the read connection's data_version it was read at. */
  private mark = { dataVersion: NaN, foreignCommits: 0 };

  constructor(
    private readonly db: BetterSqlite3.Database,
    /** The main thread's connection for decisions; none when read-only. */
    private readonly decisions: { db: BetterSqlite3.Database; writes: SqliteWrites } | null,
    private readonly writer: WriteSide,
    private readonly keyOf: CustomerKeyer,
    private readonly writerId: string,
  ) {
    this.selectState = db.prepare<[string], StoredState>('SELECT state FROM customers WHERE customer_id = ?').pluck();
    // The request path's read of decisions, beside `selectState` in this turn's read
    // transaction (`snapshot`): only what the policy reads (time and action, from their
    // columns: a decision logged with its features is about 2 KB of JSON, whose parse cost a
    // cold view tens of µs). Inside the transaction a second statement costs no locking, and
    // these two ran 0.3 µs faster than one statement folding the decisions into a JSON array
    // for JSON.parse (2.6 against 2.9 µs on the bench store, median of 9 × 20,000 reads).
    this.selectRecentDecisions = db.prepare<[string, number], PastDecision>('SELECT ts, action FROM decisions WHERE customer_id = ? AND ts >= ? ORDER BY ts, id');
    this.selectCustomers = db.prepare<[number, number], { customer_id: string; state: StoredState }>(
      'SELECT customer_id, state FROM customers ORDER BY customer_id LIMIT ? OFFSET ?',
    );
    this.selectCustomerCount = db.prepare<[], number>('SELECT COUNT(*) FROM customers').pluck();
    this.selectDecisionsSince = db
      .prepare<[string, number], string>('SELECT decision FROM decisions WHERE customer_id = ? AND ts >= ? ORDER BY ts, id')
      .pluck();
    this.selectSpent = db.prepare<[string], number>('SELECT spent FROM budget WHERE day = ?').pluck();
    // Changes when any other connection commits (this store's writer and decision connection too).
    this.selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.selectForeignCommits = foreignCommitsStatement(db);
    this.snapshot = new ReadSnapshot(db);
    this.report = new SqliteReportPages(db);
  }

  /**
   * Resolves once the writer thread has committed the batch (with `durability: 'full'`, fsynced).
   * Appends made together (concurrent requests) share one transaction, hence one fsync.
   */
  appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const refused = eventTimeRefusal(events);
    if (refused !== null) return Promise.reject(refused);
    return this.writer.write<void>({ op: 'append', events });
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    const stored = this.selectState.get(this.keyOf(customerId));
    return stored === undefined ? null : decodeCustomerState(stored);
  }

  async readCustomerView(customerId: string, asOfMs: number, decisionsSinceTs: number): Promise<CustomerView> {
    return this.view(customerId, asOfMs, decisionsSinceTs);
  }

  readCustomerViewNow(customerId: string, asOfMs: number, decisionsSinceTs: number): CustomerView {
    return this.view(customerId, asOfMs, decisionsSinceTs);
  }

  /** State and recent decisions in one read transaction (this turn's). */
  private view(customerId: string, asOfMs: number, decisionsSinceTs: number): CustomerView {
    const key = this.keyOf(customerId);
    this.snapshot.enter();
    const stored = this.selectState.get(key);
    return {
      features: stored === undefined ? null : storedFeaturesAt(stored, asOfMs),
      decisions: this.selectRecentDecisions.all(key, decisionsSinceTs),
    };
  }

  /** With keyed ids, listed customers are their keys (pseudonyms): nothing stored names them. */
  async listCustomers(limit: number, offset = 0): Promise<CustomerSummary[]> {
    return this.selectCustomers
      .all(toPageCount(limit), toPageCount(offset))
      .map((row) => customerSummary(row.customer_id, row.state));
  }

  async countCustomers(): Promise<number> {
    return this.selectCustomerCount.get() ?? 0;
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    const key = this.keyOf(customerId);
    return this.asAsked(customerId, key, this.selectDecisionsSince.all(key, sinceTs).map((json) => JSON.parse(json) as Decision));
  }

  /**
   * On the main thread when the write lock is free (see the file comment), else by the writer
   * thread; either way the budget, cooldown and cap are checked in the decision's transaction.
   */
  recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits): Promise<boolean | RepeatRefusal> {
    const refused = decisionCostRefusal(decision.cost);
    if (refused !== null) return Promise.reject(refused);
    const request = { op: 'decision', decision, dailyBudget, limits } as const;
    const result = this.decisions === null || this.writer.isClosed() ? 'busy' : this.decisions.writes.commitIfUnlocked(request);
    if (result === 'busy') return this.writer.write<boolean | RepeatRefusal>(request);
    afterOwnCommit();
    return result.ok ? Promise.resolve(result.value as boolean | RepeatRefusal) : Promise.reject(new ChurnkitError(result.code, result.message));
  }

  async spent(day: string): Promise<number> {
    return this.selectSpent.get(day) ?? 0;
  }

  recordOutcome(outcome: Outcome): Promise<void> {
    return this.writer.write<void>({ op: 'outcome', outcome });
  }

  /** Erases the customer, then empties the write-ahead log of their old pages (see docs/plugin.md, "Erasure"). */
  eraseCustomer(customerId: string): Promise<ErasureReport> {
    return this.writer.write<ErasureReport>({ op: 'erase', customerId });
  }

  outcomeReport(): Promise<ReportRow[]> {
    return this.report.outcomeReport();
  }

  decisionSummary(): Promise<DecisionSummaryRow[]> {
    return this.report.decisionSummary();
  }

  recordChallengerScores(scores: readonly ChallengerScore[]): Promise<void> {
    return this.writer.write<void>({ op: 'challenger-scores', scores });
  }

  /** Each score with the customer's first outcome at or after it; with keyed ids, customers are named by their keys. */
  async *challengerLog(): AsyncIterable<LoggedChallengerScore> {
    // A page at a time, each read whole (an open iterator would keep the connection busy for
    // the request path): between pages the reader's awaits let requests be served, where one
    // read of every score held the event loop for about a second per 300,000.
    const page = this.db.prepare<[string, number, number, number], ChallengerScoreRow & { id: number; outcome_ts: number | null; retained: number | null }>(
      `SELECT c.*, o.ts AS outcome_ts, o.retained AS retained
       FROM challenger_scores c
       LEFT JOIN outcomes o ON o.id = (
         SELECT id FROM outcomes WHERE customer_id = c.customer_id AND ts >= c.ts ORDER BY ts, id LIMIT 1)
       WHERE (c.customer_id, c.ts, c.id) > (?, ?, ?)
       ORDER BY c.customer_id, c.ts, c.id
       LIMIT ?`,
    );
    // Every customer id has a character, so every row comes after ('', …).
    for (let after: [string, number, number] = ['', Number.MIN_SAFE_INTEGER, 0]; ; ) {
      const rows = page.all(...after, LOG_PAGE_SCORES);
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = [last.customer_id, last.ts, last.id];
      for (const row of rows) {
        yield {
          score: {
            customerId: row.customer_id,
            ts: row.ts,
            championVersion: row.champion_version,
            championProbability: row.champion_probability,
            challengerVersion: row.challenger_version,
            challengerProbability: row.challenger_probability,
          },
          outcome: row.outcome_ts === null ? null : { ts: row.outcome_ts, retained: row.retained === 1 },
        };
      }
    }
  }

  /** With keyed ids, the log names customers by their keys (pseudonyms). */
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
    const nextCustomers = this.db
      .prepare<[string, number], string>('SELECT DISTINCT customer_id FROM decisions WHERE customer_id > ? ORDER BY customer_id LIMIT ?')
      .pluck();
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

  /**
   * The `events` table in insertion order, a page at a time (keyset on the row id, so a page
   * is one index range and appends made meanwhile are read at the end). Each row is the event
   * as logged: with keyed ids, its customerId is the key.
   */
  async *eventLog(): AsyncIterable<readonly ChurnEvent[]> {
    const page = this.db.prepare<[number, number], { id: number; event: string }>('SELECT id, event FROM events WHERE id > ? ORDER BY id LIMIT ?');
    for (let after = 0; ; ) {
      const rows = page.all(after, LOG_PAGE_EVENTS);
      if (rows.length === 0) return;
      yield rows.map((row) => JSON.parse(row.event) as ChurnEvent);
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Commits what is waiting, stops the writer, then closes the main thread's connections. */
  async close(): Promise<void> {
    await this.writer.close();
    this.snapshot.close();
    if (this.decisions?.db.open) this.decisions.db.close();
    if (this.db.open) this.db.close();
  }

  /**
   * The commits of every other store on the file (`writers` table): exactly what changes
   * when someone else writes, never this store's own writes. Read only when the read
   * connection's data_version shows that some connection has committed since the last call:
   * a call costs a pragma, and a small query after a commit.
   */
  externalWriteMark(): number {
    const dataVersion = this.selectDataVersion.get()!;
    if (dataVersion !== this.mark.dataVersion) this.mark = { dataVersion, foreignCommits: this.selectForeignCommits.get(this.writerId) ?? 0 };
    return this.mark.foreignCommits;
  }

  /** Decisions as logged, with the id the caller asked by (the stored one is its key when ids are keyed). */
  private asAsked(customerId: string, key: string, decisions: Decision[]): Decision[] {
    if (key !== customerId) for (const decision of decisions) decision.customerId = customerId;
    return decisions;
  }
}

