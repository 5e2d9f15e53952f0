/**
 * Every write of the SQLite store, on the connection of its writer thread
 * (`sqlite-write-worker.ts`): requests that arrive together are committed together (group
 * commit), each inside a savepoint of its own, so one request that fails rolls back alone
 * and the others still commit. The connection commits with synchronous=NORMAL: the fsync
 * that makes a commit durable is the writer thread's, outside SQLite's write lock.
 *
 * Every group commit counts itself in the `writers` table under its store's id. The writer
 * keeps the customers it folded recently, decoded, and trusts them only while no other store
 * has committed (the others' count, checked once per transaction): a busy customer then
 * costs no state read and no decode per event. With the state it keeps the id of the
 * customer's last logged event: each event logged links to the one before it (`prev_id`),
 * the chain an erasure follows (`sqlite-schema.ts` says why there is no index by customer).
 *
 * A group is first committed the fast way: no savepoints, and each customer's state row
 * written once, at the end, however many of the group's requests folded events into it (each
 * write of a state rewrites its page in the log; a group of a few hundred events touches
 * many customers more than once). If any request fails, that whole transaction is rolled
 * back and the group is committed again the careful way, each request in its own savepoint
 * with its states written as it goes, so one bad request still fails alone.
 */
import type Database from 'better-sqlite3';
import { ChurnkitError } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { COMPACT_STATE_FORMAT, decodeCustomerState, encodeCustomerStateTransient, type StoredState } from '../../src/features/state-codec.js';
import { fitsBudget, roundMoney } from './budget-check.js';
import type { CustomerKeyer } from './customer-keys.js';
import { eventsByCustomer, foldEvents } from './fold-events.js';
import { resolveOutcomeAttribution } from './outcome-attribution.js';
import { prepareSchema } from './sqlite-schema.js';
import type { ChallengerScore, Decision, ErasureReport, Outcome, RepeatLimits, RepeatRefusal } from './types.js';

export type WriteRequest =
  | { op: 'append'; events: readonly ChurnEvent[] }
  | { op: 'decision'; decision: Decision; dailyBudget: number; limits?: RepeatLimits }
  | { op: 'outcome'; outcome: Outcome }
  | { op: 'challenger-scores'; scores: readonly ChallengerScore[] }
  | { op: 'erase'; customerId: string };

/** A request's answer: its value, or the error that rolled it back (as plain data: it crosses threads). */
export type WriteResult = { ok: true; value: boolean | RepeatRefusal | ErasureReport | null } | { ok: false; code: string; message: string };

/**
 * Pages in the write-ahead log before a commit copies them back into the database file
 * (SQLite's default is 1,000, 4 MB). Events touch customers and index pages all over the
 * file, and a page changed in many commits is copied back once per checkpoint: ten times
 * fewer checkpoints cut the writer's CPU per event by about a quarter here, for a log of up to
 * 40 MB on disk (reused, not grown further).
 */
const CHECKPOINT_PAGES = 10_000;

/**
 * The writer thread's connection settings: it waits up to `busyTimeoutMs` for a lock another
 * process holds, commits without an fsync (the thread syncs the log itself, outside SQLite's
 * lock), and checkpoints every CHECKPOINT_PAGES. Returns `db`.
 */
export function configureWriterConnection(db: Database.Database, busyTimeoutMs: number): Database.Database {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  return db;
}

/** Decoded customers kept by the writer between commits. */
const KEPT_STATES = 4_096;

/**
 * A customer as the writer folds them: their state, the id of their last logged event (0:
 * none in a chain yet), and the time of the last event folded (the row's `updated_ts`).
 */
interface FoldedCustomer {
  state: CustomerState;
  lastEventId: number;
  updatedTs: number;
}

export class SqliteWrites {
  private readonly insertEvent;
  private readonly selectState;
  private readonly upsertState;
  private readonly countCommit;
  private readonly selectForeignCommits;
  private readonly selectSpent;
  private readonly setSpent;
  private readonly insertDecision;
  private readonly selectInCooldown;
  private readonly countIssuedSince;
  private readonly selectLatestDecision;
  private readonly insertOutcome;
  private readonly insertChallengerScore;
  private readonly eraseStatements;
  private readonly groupTransaction;
  private readonly fastGroupTransaction;
  private readonly savepoint;
  /** Recently folded customers by stored key; valid while `foreignCommits` is unchanged. */
  private readonly states = new Map<string, FoldedCustomer>();
  /** In a fast group: states folded but not yet written, by stored key (written at the group's end). */
  private readonly unwritten = new Map<string, FoldedCustomer>();
  /** Whether `append` writes states as it goes (careful) or leaves them in `unwritten` (fast). */
  private deferStates = false;
  private foreignCommits: number;

  /** `writerId`: the store's id in the `writers` table (shared by every connection of one store object). */
  constructor(
    private readonly db: Database.Database,
    private readonly keyOf: CustomerKeyer,
    private readonly writerId: string,
  ) {
    this.insertEvent = db.prepare<[string, number, string, string, string | null, number]>(
      `INSERT INTO events (customer_id, ts, type, event, event_id, prev_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (event_id, customer_id) WHERE event_id IS NOT NULL DO NOTHING`,
    );
    this.selectState = db
      .prepare<[string], [StoredState, number | null, number]>('SELECT state, last_event_id, updated_ts FROM customers WHERE customer_id = ?')
      .raw();
    this.upsertState = db.prepare<[string, Uint8Array, number, number]>(
      `INSERT INTO customers (customer_id, state, updated_ts, last_event_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state, updated_ts = excluded.updated_ts, last_event_id = excluded.last_event_id`,
    );
    this.countCommit = db.prepare<[string]>('INSERT INTO writers (writer_id, commits) VALUES (?, 1) ON CONFLICT (writer_id) DO UPDATE SET commits = commits + 1');
    this.selectForeignCommits = foreignCommitsStatement(db);
    this.selectSpent = db.prepare<[string], number>('SELECT spent FROM budget WHERE day = ?').pluck();
    this.setSpent = db.prepare<[string, number]>(
      `INSERT INTO budget (day, spent) VALUES (?, ?)
       ON CONFLICT (day) DO UPDATE SET spent = excluded.spent`,
    );
    this.insertDecision = db.prepare<[string, number, string, string | null, string, number, string]>(
      'INSERT INTO decisions (customer_id, ts, day, action, grp, cost, decision) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // A customer's decisions of one action since a time: a range of the index on (customer_id,
    // ts), each row's action read from the table. The range is the action's cooldown or cap
    // window of one customer, a handful of rows; the count stops at the cap.
    this.selectInCooldown = db
      .prepare<[string, number, string], number>('SELECT EXISTS (SELECT 1 FROM decisions WHERE customer_id = ? AND ts > ? AND action = ?)')
      .pluck();
    this.countIssuedSince = db
      .prepare<[string, number, string, number], number>('SELECT COUNT(*) FROM (SELECT 1 FROM decisions WHERE customer_id = ? AND ts >= ? AND action = ? LIMIT ?)')
      .pluck();
    this.selectLatestDecision = db.prepare<[string], string>(
      'SELECT decision FROM decisions WHERE customer_id = ? ORDER BY ts DESC, id DESC LIMIT 1',
    ).pluck();
    this.insertOutcome = db.prepare<[string, number, number, string, string | null, number | null]>(
      'INSERT INTO outcomes (customer_id, ts, retained, action, grp, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertChallengerScore = db.prepare<[string, number, string, number, string, number]>(
      `INSERT INTO challenger_scores (customer_id, ts, champion_version, champion_probability, challenger_version, challenger_probability)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.eraseStatements = {
      // The customer's chain, from their row's last event back to the first (`prev_id` 0),
      // each step checked to be theirs; then their events logged before chains existed.
      chainedEvents: db.prepare<[{ customer: string }]>(
        `DELETE FROM events WHERE id IN (
           WITH RECURSIVE chain (id) AS (
             SELECT last_event_id FROM customers WHERE customer_id = @customer AND last_event_id > 0
             UNION ALL
             SELECT events.prev_id FROM events JOIN chain ON events.id = chain.id
             WHERE events.customer_id = @customer AND events.prev_id > 0 AND events.prev_id < chain.id
           ) SELECT id FROM chain
         ) AND customer_id = @customer`,
      ),
      eventsBeforeChains: db.prepare<[string]>('DELETE FROM events WHERE customer_id = ? AND prev_id IS NULL'),
      state: db.prepare<[string]>('DELETE FROM customers WHERE customer_id = ?'),
      decisions: db.prepare<[string]>('DELETE FROM decisions WHERE customer_id = ?'),
      outcomes: db.prepare<[string]>('DELETE FROM outcomes WHERE customer_id = ?'),
      challengerScores: db.prepare<[string]>('DELETE FROM challenger_scores WHERE customer_id = ?'),
    };
    this.groupTransaction = db.transaction((requests: readonly WriteRequest[]): WriteResult[] => {
      this.forgetStatesIfOthersWrote();
      this.countCommit.run(this.writerId);
      return requests.map((request) => this.inSavepoint(request));
    });
    this.fastGroupTransaction = db.transaction((requests: readonly WriteRequest[]): WriteResult[] => {
      this.forgetStatesIfOthersWrote();
      this.countCommit.run(this.writerId);
      this.deferStates = true;
      try {
        const results = requests.map((request): WriteResult => {
          try {
            return { ok: true, value: this.apply(request, []) };
          } catch (error) {
            throw new RequestFailed(error);
          }
        });
        for (const [key, customer] of this.unwritten) this.writeState(key, customer);
        return results;
      } finally {
        this.deferStates = false;
        this.unwritten.clear();
      }
    });
    // Called inside groupTransaction, better-sqlite3 runs it as a savepoint.
    this.savepoint = db.transaction((request: WriteRequest, touched: string[]) => this.apply(request, touched));
    this.foreignCommits = this.selectForeignCommits.get(writerId) ?? 0;
  }

  /**
   * Commits `request` at once if SQLite's write lock is free, else returns 'busy' without
   * waiting (the connection's busy timeout is 0): for decisions on the main thread, which
   * must never wait for a lock (they go to the writer thread instead).
   */
  commitIfUnlocked(request: WriteRequest): WriteResult | 'busy' {
    try {
      return this.groupTransaction.immediate([request])[0]!;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return 'busy';
      return failure(error);
    }
  }

  /** Commits `requests` as one transaction, each request all-or-nothing (one that fails rolls back alone); one result per request, in order. */
  commit(requests: readonly WriteRequest[]): WriteResult[] {
    if (requests.length === 0) return [];
    try {
      return this.fastGroupTransaction.immediate(requests);
    } catch (error) {
      // Rolled back whole: the states folded in memory are not what is stored.
      this.states.clear();
      // The transaction itself failed (lock timeout, disk full): nothing of the group was written.
      if (!(error instanceof RequestFailed)) return requests.map(() => failure(error));
    }
    // One request failed: again, carefully, so that it fails alone.
    try {
      return this.groupTransaction.immediate(requests);
    } catch (error) {
      // The commit itself failed (disk full, lock timeout): nothing of the group was written.
      this.states.clear();
      return requests.map(() => failure(error));
    }
  }

  /**
   * Erases one customer, then empties the write-ahead log (`wal_checkpoint(TRUNCATE)`), which
   * still held copies of their pages; `secure_delete` overwrites the deleted content in the
   * database file itself. Own transaction: the pragmas cannot change inside one.
   */
  erase(customerId: string): WriteResult {
    this.db.pragma('secure_delete = ON');
    try {
      const [result] = this.commit([{ op: 'erase', customerId }]);
      if (result!.ok) this.db.pragma('wal_checkpoint(TRUNCATE)');
      return result!;
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
  }

  private inSavepoint(request: WriteRequest): WriteResult {
    const touched: string[] = [];
    try {
      return { ok: true, value: this.savepoint(request, touched) };
    } catch (error) {
      // Rolled back to the savepoint: states this request folded in memory are not what is stored.
      for (const key of touched) this.states.delete(key);
      return failure(error);
    }
  }

  private apply(request: WriteRequest, touched: string[]): boolean | RepeatRefusal | ErasureReport | null {
    switch (request.op) {
      case 'append':
        this.append(request.events, touched);
        return null;
      case 'decision':
        return this.recordDecision(request.decision, request.dailyBudget, request.limits);
      case 'outcome':
        this.recordOutcome(request.outcome);
        return null;
      case 'challenger-scores':
        for (const score of request.scores) {
          this.insertChallengerScore.run(this.keyOf(score.customerId), score.ts, score.championVersion, score.championProbability, score.challengerVersion, score.challengerProbability);
        }
        return null;
      case 'erase':
        return this.eraseCustomer(request.customerId);
    }
  }

  /**
   * Logs each customer's events in the order they are folded (time order within the batch),
   * so replaying the log by id gives back exactly the stored state; an event whose id the
   * customer already has is neither logged nor folded again.
   */
  private append(events: readonly ChurnEvent[], touched: string[]): void {
    for (const [customerId, customerEvents] of eventsByCustomer(events)) {
      const key = this.keyOf(customerId);
      const stored = this.customerOf(key);
      let lastEventId = stored?.lastEventId ?? 0;
      const fresh: ChurnEvent[] = [];
      for (const event of customerEvents) {
        const logged = key === customerId ? event : { ...event, customerId: key };
        const inserted = this.insertEvent.run(key, event.ts, event.type, JSON.stringify(logged), event.id ?? null, lastEventId);
        if (inserted.changes === 1) {
          fresh.push(event);
          lastEventId = Number(inserted.lastInsertRowid);
        }
      }
      if (fresh.length === 0) continue;
      touched.push(key);
      const customer: FoldedCustomer = { state: foldEvents(stored?.state ?? null, fresh), lastEventId, updatedTs: customerEvents[customerEvents.length - 1]!.ts };
      this.keep(key, customer);
      if (this.deferStates) this.unwritten.set(key, customer);
      else this.writeState(key, customer);
    }
  }

  private writeState(key: string, { state, lastEventId, updatedTs }: FoldedCustomer): void {
    // SQLite copies a bound blob (better-sqlite3 binds it SQLITE_TRANSIENT): the shared
    // record buffer is free again as soon as the statement has run.
    this.upsertState.run(key, encodeCustomerStateTransient(state, COMPACT_STATE_FORMAT), updatedTs, lastEventId);
  }

  /** The budget, cooldown and cap check and the decision it allows, in the one transaction (or savepoint) of the request. */
  private recordDecision(decision: Decision, dailyBudget: number, limits: RepeatLimits | undefined): boolean | RepeatRefusal {
    const key = this.keyOf(decision.customerId);
    if (limits !== undefined && decision.action !== null) {
      const refusal = this.repeatRefusal(key, decision.action, limits);
      if (refusal !== null) return refusal;
    }
    const spent = this.selectSpent.get(decision.day) ?? 0;
    if (!fitsBudget(spent, decision.cost, dailyBudget)) return false;
    const logged = key === decision.customerId ? decision : { ...decision, customerId: key };
    this.insertDecision.run(key, decision.ts, decision.day, decision.action, decision.group, decision.cost, JSON.stringify(logged));
    this.setSpent.run(decision.day, roundMoney(spent + decision.cost));
    return true;
  }

  /** `repeat-check.ts`'s rule, as two index range reads of the customer's decisions. */
  private repeatRefusal(key: string, action: string, limits: RepeatLimits): RepeatRefusal | null {
    if (this.selectInCooldown.get(key, limits.cooldownAfter, action) === 1) return 'cooldown';
    if (limits.maxPerCustomer === Infinity) return null;
    return this.countIssuedSince.get(key, limits.capSince, action, Math.ceil(limits.maxPerCustomer))! >= limits.maxPerCustomer ? 'cap' : null;
  }

  private recordOutcome(outcome: Outcome): void {
    const key = this.keyOf(outcome.customerId);
    const latest = this.selectLatestDecision.get(key);
    const { action, group } = resolveOutcomeAttribution(outcome, latest === undefined ? null : (JSON.parse(latest) as Decision));
    this.insertOutcome.run(key, outcome.ts, outcome.retained ? 1 : 0, action, group, outcome.value ?? null);
  }

  private eraseCustomer(customerId: string): ErasureReport {
    const key = this.keyOf(customerId);
    this.states.delete(key);
    this.unwritten.delete(key);
    const erased = (statement: Database.Statement<[string]>) => statement.run(key).changes;
    // Their scores in champion-and-challenger comparisons go too (not counted in the report, which predates them).
    erased(this.eraseStatements.challengerScores);
    // The chain first: it starts at the customer's row, deleted next.
    const events = this.eraseStatements.chainedEvents.run({ customer: key }).changes + erased(this.eraseStatements.eventsBeforeChains);
    return {
      events,
      state: erased(this.eraseStatements.state) > 0,
      decisions: erased(this.eraseStatements.decisions),
      outcomes: erased(this.eraseStatements.outcomes),
    };
  }

  private customerOf(key: string): FoldedCustomer | null {
    const kept = this.unwritten.get(key) ?? this.states.get(key);
    if (kept !== undefined) return kept;
    const stored = this.selectState.get(key);
    // A state written before schema 4 has no chain yet: its events are found by the older index.
    return stored === undefined ? null : { state: decodeCustomerState(stored[0]), lastEventId: stored[1] ?? 0, updatedTs: stored[2] };
  }

  /** Keeps the customer as the most recently used, dropping the least recently used past the bound. */
  private keep(key: string, customer: FoldedCustomer): void {
    this.states.delete(key);
    if (this.states.size >= KEPT_STATES) this.states.delete(this.states.keys().next().value!);
    this.states.set(key, customer);
  }

  private forgetStatesIfOthersWrote(): void {
    const foreign = this.selectForeignCommits.get(this.writerId) ?? 0;
    if (foreign !== this.foreignCommits) {
      this.states.clear();
      this.foreignCommits = foreign;
    }
  }
}

/** A request of a fast group failed: the group is rolled back and committed again carefully. */
class RequestFailed extends Error {
  constructor(readonly reason: unknown) {
    super('a request of the group failed');
  }
}

/** The commits of every store but `writerId` (`writers` table): changes exactly when another store writes. */
export function foreignCommitsStatement(db: Database.Database): Database.Statement<[string], number> {
  return db.prepare<[string], number>('SELECT COALESCE(SUM(commits), 0) FROM writers WHERE writer_id <> ?').pluck();
}

/** A failed request as plain data: churnkit's own code (STATE_FORMAT…), else STORE_WRITE with SQLite's code in the message. */
function failure(error: unknown): WriteResult {
  if (error instanceof ChurnkitError) return { ok: false, code: error.code, message: error.message };
  const sqliteCode = typeof (error as { code?: unknown })?.code === 'string' ? `${(error as { code: string }).code}: ` : '';
  return { ok: false, code: 'STORE_WRITE', message: `${sqliteCode}${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Runs every kind of write once on a throwaway in-memory database, so the writer thread's
 * first real requests do not pay for compiling its code: without it the first decision after
 * a start took 10–30 ms here, past the request path's 5 ms store budget. Takes an in-memory
 * database (the writer thread opens it: this module only uses better-sqlite3's types, so the
 * SQLite store can load the optional peer itself, with a clear error when it is missing) and
 * closes it.
 */
export function warmUpWrites(db: Database.Database): void {
  try {
    prepareSchema(db);
    const writes = new SqliteWrites(db, (customerId) => customerId, 'warm-up');
    const ts = Date.UTC(2026, 0, 1);
    const decision: Decision = {
      customerId: 'warm-up', ts, day: '2026-01-01', modelVersion: 'warm-up', probability: 0.5, customerValue: 1,
      group: 'treatment', action: 'coupon', cost: 1, expectedValues: { coupon: 1, none: 0 }, skipped: {}, explanation: '',
    };
    for (let round = 0; round < 3; round++) {
      writes.commit([
        { op: 'append', events: [{ customerId: 'warm-up', id: `e${round}`, ts, type: 'order', value: 1, category: 'warm-up', channel: 'web' }] },
        { op: 'decision', decision, dailyBudget: Infinity, limits: { cooldownAfter: ts, capSince: ts, maxPerCustomer: 3 } },
        { op: 'outcome', outcome: { customerId: 'warm-up', ts, retained: true } },
      ]);
    }
    writes.commit([{ op: 'erase', customerId: 'warm-up' }]);
  } finally {
    db.close();
  }
}
