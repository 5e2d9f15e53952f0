import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { importPeer } from '../../plugin/optional-peer.js';
import type { ChurnStore } from '../../plugin/store/types.js';

/** Tables every churnkit SQLite store has had since its first schema. */
const CHURNKIT_TABLES = ['events', 'customers', 'decisions', 'outcomes'];

/** The plugin's SQLite file name inside its data directory (the store's default `fileName`). */
const DEFAULT_SQLITE_FILE = 'churnkit.sqlite';

/**
 * Opens the plugin store a command-line `--store` names, for an offline job that only reads
 * it (a SQLite store is opened read-only): a `redis://` or `rediss://` URL, or a SQLite
 * store given as its file or its data directory, optionally written `sqlite:<path>` (the
 * plugin's `dataDir`, e.g. `sqlite:./data`, holds `churnkit.sqlite`). A path that does not
 * exist is an `InputError`, never a new empty store. Each store is imported only when named:
 * a project that installed `redis` but not better-sqlite3 (the SQLite store's native peer)
 * reads its Redis store.
 *
 * @example
 * const store = await openStoreLocation('sqlite:./data');
 * const store2 = await openStoreLocation('redis://127.0.0.1:6379', { keyPrefix: 'shop1:' });
 */
export async function openStoreLocation(location: string, options: { keyPrefix?: string } = {}): Promise<ChurnStore> {
  if (/^rediss?:\/\//.test(location)) {
    const { openRedisStore } = await import('../../plugin/store/redis-store.js');
    return openRedisStore({ url: location, ...(options.keyPrefix !== undefined ? { keyPrefix: options.keyPrefix } : {}) });
  }
  const path = location.replace(/^sqlite:/, '');
  if (!existsSync(path)) {
    throw new InputError('STORE_NOT_FOUND', 'store file not found; expected the plugin\'s SQLite file or data directory (sqlite:./data), or a redis:// URL', { file: path });
  }
  const file = statSync(path).isDirectory() ? join(path, DEFAULT_SQLITE_FILE) : path;
  if (!existsSync(file)) throw new InputError('STORE_NOT_FOUND', `no ${DEFAULT_SQLITE_FILE} in this directory: is it the plugin's dataDir?`, { file: path });
  // Opening the store creates its tables in whatever file it is given: a file that is not
  // already a churnkit store is refused before, on a read-only connection, and left as it was.
  await requireChurnkitSqliteFile(file);
  // Read-only: an offline job beside a running storefront neither upgrades its file (which
  // would stop an older storefront's appends) nor writes to it.
  const { openSqliteStore } = await import('../../plugin/store/sqlite-store.js');
  return openSqliteStore({ dataDir: dirname(file), fileName: basename(file), readOnly: true });
}

/** The `--store` and `--key-prefix` flags of a command that reads the plugin's store. */
export interface StoreFlags {
  store: string;
  keyPrefix?: string;
}

/** Adds `--store` (required) and `--key-prefix` to a command that reads the plugin's store (`challenger`, `retrain`, `uplift`). */
export function addStoreFlags(command: Command): Command {
  return command
    .requiredOption('--store <location>', 'the plugin store: sqlite:<dataDir>, a SQLite file (opened read-only), or a redis:// URL')
    .option('--key-prefix <prefix>', 'key prefix of a Redis store (default churnkit:)');
}

/** Opens the store the flags name (see `openStoreLocation`). */
export function openFlaggedStore(flags: StoreFlags): Promise<ChurnStore> {
  return openStoreLocation(flags.store, flags.keyPrefix !== undefined ? { keyPrefix: flags.keyPrefix } : {});
}

/** Refuses, naming the file, one that is not SQLite or holds no churnkit store; reads only. */
async function requireChurnkitSqliteFile(file: string): Promise<void> {
  const Database = (await importPeer('better-sqlite3', 'the SQLite store (churnkit/stores/sqlite)', () => import('better-sqlite3'))).default;
  let tables: Set<string>;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
    } finally {
      db.close();
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_NOTADB') throw error;
    throw new InputError('STORE_NOT_SQLITE', `not a SQLite file; expected the plugin's store (its dataDir's ${DEFAULT_SQLITE_FILE})`, { file }, { cause: error });
  }
  const missing = CHURNKIT_TABLES.filter((table) => !tables.has(table));
  if (missing.length > 0) {
    throw new InputError('STORE_NOT_CHURNKIT', `a SQLite file without churnkit's tables (no ${missing.join(', ')}); expected the store the plugin writes (its dataDir's ${DEFAULT_SQLITE_FILE})`, { file });
  }
}
