import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { decodeCustomerState } from '../../../src/features/state-codec.js';
import { expectConsistent, killTestWorkspace, report, round, ROUNDS, seededRandom, TEST_TIMEOUT_MS, type Tally } from './kill-rounds.js';

// What the rounds do and check: kill-rounds.ts.
const workspace = killTestWorkspace();

describe('the plugin with its default SQLite store under kill -9', () => {
  it(`keeps every acknowledged event exactly once, an intact file and states equal to a replay of the log, over ${ROUNDS} kills`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const started = performance.now();
    const dataDir = join(workspace.root, 'sqlite');
    const random = seededRandom(11);
    const tally: Tally = { rounds: 0, acknowledged: new Map(), unanswered: [] };
    let events = 0;
    for (let r = 0; r < ROUNDS; r++) {
      await round('sqlite', dataDir, tally, random);
      // Opened read-write, as the restarted storefront would: SQLite recovers the log first.
      const db = new Database(join(dataDir, 'churnkit.sqlite'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const log = new Map<string, ChurnEvent[]>();
        for (const row of db.prepare('SELECT customer_id, event FROM events ORDER BY id').all() as { customer_id: string; event: string }[]) {
          (log.get(row.customer_id) ?? log.set(row.customer_id, []).get(row.customer_id)!).push(JSON.parse(row.event) as ChurnEvent);
        }
        const states = new Map(
          (db.prepare('SELECT customer_id, state FROM customers').all() as { customer_id: string; state: Buffer }[]).map((row) => [row.customer_id, decodeCustomerState(row.state)]),
        );
        events = expectConsistent({ log, states }, tally).events;
        expectEveryEventChained(db);
      } finally {
        db.close();
      }
    }
    expect(tally.acknowledged.size).toBeGreaterThan(ROUNDS);
    report('SQLite', tally, events, 'PRAGMA integrity_check ok after every round', started);
  });
});

/**
 * Each customer's chain (their row's last event, then each event's `prev_id` back to 0)
 * reaches every one of their events and nobody else's: what an erasure follows.
 */
function expectEveryEventChained(db: Database.Database): void {
  const events = new Map(
    (db.prepare('SELECT id, customer_id, prev_id FROM events').all() as { id: number; customer_id: string; prev_id: number | null }[]).map((row) => [row.id, row]),
  );
  let chained = 0;
  for (const { customer_id: customerId, last_event_id: last } of db.prepare('SELECT customer_id, last_event_id FROM customers').all() as { customer_id: string; last_event_id: number }[]) {
    for (let id = last; id !== 0; chained++) {
      const event = events.get(id);
      expect(event?.customer_id, `event ${id} in ${customerId}'s chain`).toBe(customerId);
      id = event!.prev_id!;
    }
  }
  expect(chained).toBe(events.size);
}
