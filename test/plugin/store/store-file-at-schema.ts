import Database from 'better-sqlite3';

/**
 * Writes `file` as a churnkit SQLite store of schema `version` (`PRAGMA user_version`): the
 * tables schema 3 had, in WAL mode, with one logged event. For an earlier churnkit's file
 * (3) or a later one's (6), which a read-only open must leave as it is.
 */
export function writeStoreFileAtSchema(file: string, version: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, event TEXT NOT NULL, event_id TEXT);
    CREATE TABLE customers (customer_id TEXT PRIMARY KEY, state BLOB NOT NULL, updated_ts INTEGER NOT NULL);
    CREATE TABLE decisions (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, day TEXT NOT NULL, action TEXT, grp TEXT NOT NULL, cost REAL NOT NULL, decision TEXT NOT NULL);
    CREATE TABLE outcomes (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, retained INTEGER NOT NULL, action TEXT NOT NULL, grp TEXT, value REAL);
    CREATE TABLE budget (day TEXT PRIMARY KEY, spent REAL NOT NULL);
    PRAGMA user_version = ${version};`);
  db.prepare('INSERT INTO events (customer_id, ts, type, event) VALUES (?, ?, ?, ?)').run('old', 1, 'order', JSON.stringify({ customerId: 'old', ts: 1, type: 'order' }));
  db.close();
}
