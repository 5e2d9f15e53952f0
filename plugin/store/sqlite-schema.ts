/**
 * The SQLite store's tables, and the one-way upgrade of files written by earlier versions.
 * Run by the store's main connection when it opens, before its writer thread starts.
 */
import type Database from 'better-sqlite3';

/** `PRAGMA user_version` of a file with this schema. */
export const SCHEMA_VERSION = 2;

const TABLES = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  event TEXT NOT NULL,
  event_id TEXT
);
CREATE TABLE IF NOT EXISTS customers (
  customer_id TEXT PRIMARY KEY,
  state BLOB NOT NULL,
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
CREATE INDEX IF NOT EXISTS outcomes_by_customer ON outcomes (customer_id);
CREATE TABLE IF NOT EXISTS budget (
  day TEXT PRIMARY KEY,
  spent REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS writers (
  writer_id TEXT PRIMARY KEY,
  commits INTEGER NOT NULL
);
`;

/**
 * The events' one secondary index: a customer's events (erasure), and idempotency (one event
 * id per customer; NULLs are distinct in a UNIQUE index, so events without an id are never
 * compared). Every index on the events costs each appended event a write to a random page
 * of it, and that write, not the insert, is most of an event's I/O: schema 1's second index,
 * (customer_id, ts), which nothing queries, is dropped.
 */
const EVENT_INDEX = `
DROP INDEX IF EXISTS events_by_customer;
CREATE UNIQUE INDEX IF NOT EXISTS events_by_customer_id ON events (customer_id, event_id);
`;

/**
 * `writers`: commits per store object (one id per `openSqliteStore`), bumped by each of its
 * write transactions. The sum of the others' rows changes exactly when someone else has
 * written: the customer cache's `externalWriteMark`, and the writer's cue to forget the
 * states it keeps.
 *
 * Creates the tables of a new file, or upgrades a file of schema 1 (no event ids): its
 * customers' states stay JSON text, which the store reads as it is and rewrites in the binary
 * form on each customer's next event. Idempotent; one transaction.
 */
export function prepareSchema(db: Database.Database): void {
  const upgrade = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    db.exec(TABLES);
    const eventColumns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')").all();
    if (!eventColumns.some((column) => column.name === 'event_id')) db.exec('ALTER TABLE events ADD COLUMN event_id TEXT');
    db.exec(EVENT_INDEX);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  upgrade.immediate();
}
