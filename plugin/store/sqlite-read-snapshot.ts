/**
 * One read transaction per event-loop turn on the SQLite store's read connection. Outside a
 * transaction, better-sqlite3 runs each statement in an implicit one, and in WAL mode each
 * begins and ends with a lock on the shared-memory index: two `fcntl` calls per statement,
 * most of a cold view's store read (about 7 µs on a virtualised machine where a system call
 * costs 3). Within one turn every read shares a transaction: the product pages of a busy
 * storefront, whose requests arrive together, pay for those calls once.
 *
 * Staleness: the transaction ends at the end of the turn (`setImmediate`), so a commit made
 * by another process, or by another store on the same file, is seen from the next turn on.
 * This process's own writes are seen at once: every store in the process ends the open
 * snapshots as soon as one of its writes commits, before its caller hears of the write
 * (`afterOwnCommit`).
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Every read snapshot of this process, open or not: a commit by any of its stores ends them all. */
const snapshots = new Set<ReadSnapshot>();

/**
 * Ends every open read snapshot of this process: called once a write by any of its SQLite
 * stores has committed, so the next read sees it (read-your-writes).
 *
 * @example
 * const saved = await writer.write(request);
 * afterOwnCommit();
 */
export function afterOwnCommit(): void {
  for (const snapshot of snapshots) snapshot.end();
}

export class ReadSnapshot {
  private readonly beginStatement;
  private readonly commitStatement;
  private open = false;
  private readonly endOfTurn = () => this.end();

  constructor(private readonly db: BetterSqlite3.Database) {
    this.beginStatement = db.prepare('BEGIN');
    this.commitStatement = db.prepare('COMMIT');
    snapshots.add(this);
  }

  /**
   * Makes sure the connection is inside this turn's read transaction (deferred: SQLite
   * takes its read lock at the first read, and keeps it until `end`).
   */
  enter(): void {
    if (this.open || this.db.inTransaction) return;
    this.beginStatement.run();
    this.open = true;
    setImmediate(this.endOfTurn);
  }

  /** Ends the transaction, if this snapshot opened one: the next read sees every commit made so far. */
  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.open && this.db.inTransaction) this.commitStatement.run();
  }

  /** Ends the transaction and forgets this snapshot (the store is closing). */
  close(): void {
    this.end();
    snapshots.delete(this);
  }
}
