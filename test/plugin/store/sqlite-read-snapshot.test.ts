import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import { decision, sampleEvents } from './store-behaviour.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-snapshot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A store on a fresh file, and a raw connection to the same file standing for another process. */
function storeAndOtherConnection(name: string) {
  const dataDir = join(root, name);
  const store = openSqliteStore({ dataDir });
  const other = new Database(join(dataDir, 'churnkit.sqlite'));
  return { store, other };
}

describe('SQLite store: the request-path reads of one event-loop turn share a read transaction', () => {
  it('sees its own decision at once, in the same turn as an earlier read', async () => {
    const { store, other } = storeAndOtherConnection('own-write');
    try {
      await store.appendEvents(sampleEvents('c1'));
      const asOf = T0 + 10 * DAY_MS;
      expect(store.readCustomerViewNow!('c1', asOf, 0).decisions).toEqual([]);
      // Committed synchronously on the main thread, in the same turn as the read above.
      await store.recordDecision(decision({ customerId: 'c1', ts: asOf }), Infinity);
      expect(store.readCustomerViewNow!('c1', asOf, 0).decisions.map((logged) => logged.ts)).toEqual([asOf]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it("sees another connection's commit from the next turn on", async () => {
    const { store, other } = storeAndOtherConnection('other-write');
    try {
      await store.appendEvents(sampleEvents('c1'));
      const asOf = T0 + 10 * DAY_MS;
      expect(store.readCustomerViewNow!('c1', asOf, 0).decisions).toEqual([]);
      const logged = decision({ customerId: 'c1', ts: asOf });
      other
        .prepare('INSERT INTO decisions (customer_id, ts, day, action, grp, cost, decision) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run('c1', logged.ts, logged.day, logged.action, logged.group, logged.cost, JSON.stringify(logged));
      await nextTurn();
      expect(store.readCustomerViewNow!('c1', asOf, 0).decisions).toEqual([{ ts: logged.ts, action: logged.action }]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('sees events another store of the same process acknowledged, as soon as they are acknowledged', async () => {
    const { store, other } = storeAndOtherConnection('other-store');
    const second = openSqliteStore({ dataDir: join(root, 'other-store') });
    try {
      const asOf = T0 + 10 * DAY_MS;
      // A read keeps this turn's snapshot open until the acknowledgement below arrives.
      const acknowledged = second.appendEvents(sampleEvents('c1')).then(() => store.readCustomerViewNow!('c1', asOf, 0).features);
      expect(store.readCustomerViewNow!('c1', asOf, 0).features).toBeNull();
      expect(await acknowledged).not.toBeNull();
    } finally {
      other.close();
      await second.close();
      await store.close();
    }
  });

  it('holds no read transaction past its turn: a checkpoint can then empty the write-ahead log', async () => {
    const { store, other } = storeAndOtherConnection('checkpoint');
    try {
      await store.appendEvents(sampleEvents('c1'));
      store.readCustomerViewNow!('c1', T0 + 10 * DAY_MS, 0);
      await nextTurn();
      const [result] = other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
      expect(result).toMatchObject({ busy: 0, log: 0 });
    } finally {
      other.close();
      await store.close();
    }
  });
});
