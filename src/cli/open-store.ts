import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { openRedisStore } from '../../plugin/store/redis-store.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { InputError } from '../errors.js';

/**
 * The plugin's store named by a `--store` flag: a `redis://` (or `rediss://`) URL, or the path
 * of its SQLite file, which must exist (a typo must not create an empty store).
 *
 * @example
 * const store = await openStoreAt('data/churnkit.sqlite');
 */
export async function openStoreAt(location: string): Promise<ChurnStore> {
  if (/^rediss?:\/\//.test(location)) return openRedisStore({ url: location });
  if (!existsSync(location)) throw new InputError('STORE_NOT_FOUND', 'store file not found; expected the SQLite file of the plugin (or a redis:// URL)', { file: location });
  return openSqliteStore({ dataDir: dirname(location), fileName: basename(location) });
}
