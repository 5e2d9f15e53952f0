/**
 * The SQLite store as the package ships it (dist/bundle/stores/sqlite.js): its writer thread
 * is a file of its own, started from beside the store's bundle. The installed-package test
 * runs the plugin on Redis (better-sqlite3's native build would cost it some 70 s), so this
 * one loads the bundle from the checkout, where better-sqlite3 is built, and writes and reads
 * through the thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChurnStore } from '../../plugin/store/types.js';
import { repoRoot } from '../../bench/repo-root.js';

const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-bundle-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('churnkit/stores/sqlite, bundled', () => {
  it('starts its writer thread from the bundle folder, and an appended event is read back', async () => {
    const bundle = pathToFileURL(join(repoRoot(), 'dist', 'bundle', 'stores', 'sqlite.js')).href;
    const { openSqliteStore } = (await import(bundle)) as { openSqliteStore: (options: { dataDir: string }) => ChurnStore };
    const store = openSqliteStore({ dataDir });
    try {
      const ts = Date.UTC(2026, 10, 1);
      await store.appendEvents([{ customerId: 'c1', ts, type: 'order', value: 42 }]);
      expect((await store.getCustomerState('c1'))!.ordersTotal).toBe(1);
    } finally {
      await store.close();
    }
  });
});
