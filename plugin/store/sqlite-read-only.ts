/**
 * The SQLite store opened only to read it (`readOnly: true`): offline jobs (`churnkit
 * uplift`, `challenger`, `retrain`) beside a storefront that is writing the same file.
 * Such a job must change nothing: it neither creates nor upgrades the file (an upgrade to a
 * newer schema stops an older storefront's appends, see sqlite-schema.ts), starts no writer
 * thread, and every write is refused.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { ChurnkitError } from '../../src/errors.js';
import { importPeer } from '../optional-peer.js';
import { EARLIEST_READABLE_SCHEMA, SCHEMA_VERSION, schemaVersionOf } from './sqlite-schema.js';
import type { WriteRequest } from './sqlite-writes.js';

const Database = (await importPeer('better-sqlite3', 'the SQLite store (churnkit/stores/sqlite)', () => import('better-sqlite3'))).default;

/**
 * Opens `file` on a read-only connection, which SQLite itself keeps from writing. Throws
 * `STORE_OPEN` when the file is missing or unreadable, and `STORE_SCHEMA` when it was written
 * with a schema this version cannot read as it is: one before EARLIEST_READABLE_SCHEMA would
 * need an upgrade (a write).
 */
export function openReadOnlyConnection(file: string): BetterSqlite3.Database {
  let db: BetterSqlite3.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ChurnkitError('STORE_OPEN', `the SQLite store ${file} could not be opened to read: ${(error as Error).message}`, { cause: error });
  }
  try {
    const version = schemaVersionOf(db);
    if (version < EARLIEST_READABLE_SCHEMA) {
      throw new ChurnkitError(
        'STORE_SCHEMA',
        `the SQLite store ${file} has schema ${version}, written by an earlier churnkit; opened read-only it is not upgraded to schema ${SCHEMA_VERSION}: open it once read-write with this version (start the storefront on it) and read it then`,
      );
    }
    // A reader in WAL mode does not wait for writers; the rare moments SQLite makes it wait are short.
    db.pragma('busy_timeout = 1');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The write side of a read-only store: every write is refused, nothing is ever queued. */
export const refusedWrites = {
  write<T>(request: WriteRequest): Promise<T> {
    return Promise.reject(new ChurnkitError('STORE_READ_ONLY', `the SQLite store was opened read-only (readOnly: true): its "${request.op}" write is refused`));
  },
  isClosed(): boolean {
    return true;
  },
  close(): Promise<void> {
    return Promise.resolve();
  },
};
