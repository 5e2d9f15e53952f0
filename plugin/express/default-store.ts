/**
 * The Express plugin's default store: SQLite in `dataDir`. Imported only when no store was
 * given and only once the model has loaded, so better-sqlite3 is neither loaded by a
 * storefront that brings its own store nor needed to be installed by it.
 */
import type { ChurnStore } from '../store/types.js';

/** Opens `${dataDir}/churnkit.sqlite`, importing the SQLite store on first use. */
export async function openDefaultStore(dataDir: string): Promise<ChurnStore> {
  const { openSqliteStore } = await import('../store/sqlite-store.js');
  return openSqliteStore({ dataDir });
}
