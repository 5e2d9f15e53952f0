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
/** Blocks this thread (not the writer's) for `ms`, handling nothing meanwhile. */
const sleepBlocking = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

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

  it('sees events another store of the same process acknowledged, as soon as they are acknowledged, even by a snapshot opened before their commit', async () => {
    const { store, other } = storeAndOtherConnection('other-store');
    const second = openSqliteStore({ dataDir: join(root, 'other-store'), durability: 'normal' });
    const countEvents = other.prepare('SELECT COUNT(*) FROM events WHERE customer_id = ?').pluck();
    try {
      const asOf = T0 + 10 * DAY_MS;
      // Another connection holds the write lock, so the writer thread cannot commit yet.
      other.exec('BEGIN IMMEDIATE');
      const acknowledged = second.appendEvents(sampleEvents('c1')).then(() => store.readCustomerViewNow!('c1', asOf, 0).features);
      const seenAfterAcknowledgement = await new Promise<unknown>((resolve, reject) => {
        // In the timers phase: this turn's snapshot opens before the commit, then the lock is
        // released and this callback waits (blocking) until the writer has committed and
        // answered. The answer is handled in the same turn's poll phase, before the snapshot's
        // end-of-turn (check phase): only the writer's own end of the snapshots lets the read
        // after the acknowledgement see the events.
        setTimeout(() => {
          try {
            expect(store.readCustomerViewNow!('c1', asOf, 0).features).toBeNull();
            other.exec('COMMIT');
            const waitUntil = Date.now() + 10_000;
            while (countEvents.get('c1') === 0 && Date.now() < waitUntil) sleepBlocking(1);
            expect(countEvents.get('c1')).toBeGreaterThan(0);
            // Committed with durability normal: answered right after; give the reply time to be posted.
            sleepBlocking(200);
            acknowledged.then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        }, 20);
      });
      expect(seenAfterAcknowledgement).not.toBeNull();
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
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
