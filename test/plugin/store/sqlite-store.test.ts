import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { OptionsError } from '../../../src/errors.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import { describeStoreBehaviour, sampleEvents } from './store-behaviour.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let opened = 0;
const dirOf = new WeakMap<object, string>();

describeStoreBehaviour('SQLite', {
  async open() {
    const dataDir = join(root, `store-${opened++}`);
    const store = openSqliteStore({ dataDir });
    dirOf.set(store, dataDir);
    return store;
  },
  async reopen(first) {
    return openSqliteStore({ dataDir: dirOf.get(first)! });
  },
});

describe('SQLite store file', () => {
  it("changes its external write mark on another connection's commit, never on its own", async () => {
    const dataDir = join(root, 'write-mark');
    const store = openSqliteStore({ dataDir });
    const other = openSqliteStore({ dataDir });
    try {
      const before = store.externalWriteMark!();
      await store.appendEvents(sampleEvents('c1'));
      await store.recordDecision(
        { customerId: 'c1', ts: 1, day: '2026-11-23', modelVersion: 'v', probability: 0.5, customerValue: 1, group: 'treatment', action: null, cost: 0, expectedValues: {}, skipped: {}, explanation: '' },
        Infinity,
      );
      expect(store.externalWriteMark!()).toBe(before);
      await other.appendEvents(sampleEvents('c2'));
      const afterOther = store.externalWriteMark!();
      expect(afterOther).not.toBe(before);
      expect(store.externalWriteMark!()).toBe(afterOther);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('creates its data directory and a WAL-mode database with full fsync', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = openSqliteStore({ dataDir });
    await store.appendEvents(sampleEvents('c1'));
    await store.close();
    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: sampleEvents('c1').length });
      const row = db.prepare('SELECT state FROM customers WHERE customer_id = ?').get('c1') as { state: string };
      expect(() => JSON.parse(row.state)).not.toThrow();
    } finally {
      db.close();
    }
  });

  it('rolls back the whole batch when one event cannot be stored', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'rollback') });
    const broken = { customerId: 'c2', ts: 1, type: null } as unknown as ChurnEvent;
    await expect(store.appendEvents([...sampleEvents('c1'), broken])).rejects.toThrow();
    expect(await store.getCustomerState('c1')).toBeNull();
    expect(await store.countCustomers()).toBe(0);
    await store.close();
  });

  it('commits concurrent appends together, yet fails only the caller whose batch is bad', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'group-commit') });
    const broken = { customerId: 'bad', ts: 1, type: null } as unknown as ChurnEvent;
    const results = await Promise.allSettled([
      store.appendEvents(sampleEvents('good1')),
      store.appendEvents([sampleEvents('bad')[0]!, broken]),
      store.appendEvents(sampleEvents('good2')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.getCustomerState('good1')).not.toBeNull();
    expect(await store.getCustomerState('good2')).not.toBeNull();
    expect(await store.getCustomerState('bad')).toBeNull();
    await store.close();
  });

  it('commits appends still waiting for their group when the store closes', async () => {
    const dataDir = join(root, 'close-pending');
    const store = openSqliteStore({ dataDir });
    const appended = store.appendEvents(sampleEvents('late'));
    await store.close();
    await appended;
    const reopened = openSqliteStore({ dataDir });
    expect(await reopened.getCustomerState('late')).not.toBeNull();
    await reopened.close();
  });

  it('rejects a file name that would escape the data directory', () => {
    expect(() => openSqliteStore({ dataDir: root, fileName: '../elsewhere.sqlite' })).toThrow(OptionsError);
    expect(() => openSqliteStore({ dataDir: '' })).toThrow(/dataDir/);
    expect(() => openSqliteStore({ dataDir: root, durability: 'sometimes' as 'full' })).toThrow(/durability/);
  });
});
