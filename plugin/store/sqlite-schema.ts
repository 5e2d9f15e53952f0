/**
 * The SQLite store's tables, and the one-way upgrade of files written by earlier versions.
 * Run by the store's main connection when it opens, before its writer thread starts.
 */
import type Database from 'better-sqlite3';
import { ChurnkitError } from '../../src/errors.js';

/** `PRAGMA user_version` of a file with this schema. */
export const SCHEMA_VERSION = 5;

/**
 * The earliest schema this version reads without upgrading it (a read-only store): schema 5
 * changed what is written, not what is read (the customers' states in format 2, below).
 */
export const EARLIEST_READABLE_SCHEMA = 4;

const TABLES = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  event TEXT NOT NULL,
  event_id TEXT,
  prev_id INTEGER
);
CREATE TABLE IF NOT EXISTS customers (
  customer_id TEXT PRIMARY KEY,
  state BLOB NOT NULL,
  updated_ts INTEGER NOT NULL,
  last_event_id INTEGER
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
CREATE TABLE IF NOT EXISTS challenger_scores (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  champion_version TEXT NOT NULL,
  champion_probability REAL NOT NULL,
  challenger_version TEXT NOT NULL,
  challenger_probability REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS challenger_scores_by_customer ON challenger_scores (customer_id, ts);
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
 * The events' indexes. Every index ordered by customer costs each appended event a write to
 * a random page of it, and those page writes were a third of the writer's CPU per event (the
 * log's pages are copied, checksummed and written whole): schema 4 keeps none for new events.
 * - Idempotency (one event id per customer) is ordered by the id first, and only events with
 *   an id are in it: ids that grow with time (UUIDv7, ULID, a timestamp prefix) land on the
 *   index's last pages, events without an id cost no index write at all.
 * - A customer's events (erasure) are found through their chain instead: each event logged
 *   since schema 4 holds the id of the customer's previous event (`prev_id`, 0 for the first
 *   one) and the customer's row the last (`last_event_id`); both are written where the event
 *   and the state are written anyway. Events logged before schema 4 (`prev_id` NULL) keep an
 *   index by customer that only they are in.
 * Schema 1's index (customer_id, ts) and schema 2's (customer_id, event_id) are dropped.
 */
const EVENT_INDEXES = `
DROP INDEX IF EXISTS events_by_customer;
DROP INDEX IF EXISTS events_by_customer_id;
CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON events (event_id, customer_id) WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_before_chains ON events (customer_id) WHERE prev_id IS NULL;
`;

/**
 * `writers`: commits per store object (one id per `openSqliteStore`), bumped by each of its
 * write transactions. The sum of the others' rows changes exactly when someone else has
 * written: the customer cache's `externalWriteMark`, and the writer's cue to forget the
 * states it keeps.
 *
 * Creates the tables of a new file, or upgrades a file of schema 1 (no event ids): its
 * customers' states stay JSON text, which the store reads as it is and rewrites in the binary
 * form on each customer's next event. Schema 3 adds the challenger scores' table (created
 * with the others, `IF NOT EXISTS`); schema 4 the events' chains and indexes (above): the
 * upgrade builds both once, about 2 s per million logged events here, and from then on a
 * process of an earlier version cannot append to the file (its statements name the old
 * index): stop those before starting this one. Idempotent; one transaction. A file of a
 * later schema than this version's is refused (`STORE_SCHEMA`), for the same reason the
 * other way round: this version's statements may not fit it. Schema 5 writes each customer's
 * state in the compact binary format (`COMPACT_STATE_FORMAT`, a record about half as long,
 * so fewer pages per commit): the upgrade changes no row (a state is rewritten in it on the
 * customer's next event, and both formats read), it only keeps a process of an earlier
 * version, which reads format 1 alone, from opening the file.
 */
export function prepareSchema(db: Database.Database): void {
  const upgrade = db.transaction(() => {
    if (schemaVersionOf(db) === SCHEMA_VERSION) return;
    db.exec(TABLES);
    addMissingColumn(db, 'events', 'event_id TEXT');
    addMissingColumn(db, 'events', 'prev_id INTEGER');
    addMissingColumn(db, 'customers', 'last_event_id INTEGER');
    db.exec(EVENT_INDEXES);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  upgrade.immediate();
}

/**
 * The file's schema (`PRAGMA user_version`; 0 before schema 2). Throws `STORE_SCHEMA` for a
 * later schema than this version's, whose tables and indexes this version's statements may
 * not fit (as an earlier version's do not fit schema 4).
 */
export function schemaVersionOf(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    const message = `the SQLite store ${db.name} has schema ${version}, written by a later churnkit than this one (schema ${SCHEMA_VERSION}): open it with that version`;
    // The file it is about: an answer that quotes this names the file without its folders (`publicMessage`).
    throw Object.assign(new ChurnkitError('STORE_SCHEMA', message), { file: db.name });
  }
  return version;
}

function addMissingColumn(db: Database.Database, table: 'events' | 'customers', column: string): void {
  const name = column.split(' ')[0];
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
  if (!columns.some((existing) => existing.name === name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
}
