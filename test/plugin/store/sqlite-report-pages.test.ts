/**
 * The SQLite store's lift-report aggregates are read a page at a time, with turns of the
 * event loop between pages (`GET /report` may be called by anyone, and a statement over
 * the whole table held the storefront's main thread for it), and give what one statement
 * over each table gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { turnsDuring } from '../../support/event-loop-turns.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-report-'));
const DECISIONS = 25_000;
const CUSTOMERS = 5_000;
let store: ChurnStore;
/** What one statement over each table answers, as the store answered before it read in pages. */
let whole: { decisions: unknown[]; outcomes: unknown[] };

beforeAll(async () => {
  await openSqliteStore({ dataDir: root }).close();
  const db = new Database(join(root, 'churnkit.sqlite'));
  const insertDecision = db.prepare('INSERT INTO decisions (customer_id, ts, day, action, grp, cost, decision) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertOutcome = db.prepare('INSERT INTO outcomes (customer_id, ts, retained, action, grp, value) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < DECISIONS; i++) {
      const action = [null, 'coupon', 'care'][i % 3];
      const group = i % 5 === 0 ? 'holdout' : 'treatment';
      insertDecision.run(`c${i % CUSTOMERS}`, i, '2026-11-01', action, group, group === 'holdout' || action === null ? 0 : 0.1 * (1 + (i % 7)), '{}');
    }
    // Two to four outcomes per customer, changing their mind: only the latest per (action, group) counts.
    for (let round = 0; round < 4; round++) {
      for (let c = 0; c < CUSTOMERS; c++) {
        if (round >= 2 + (c % 3)) continue;
        insertOutcome.run(`c${c}`, round, (c + round) % 2, c % 2 ? 'coupon' : 'care', c % 5 ? 'treatment' : 'holdout', 10);
      }
    }
    // An outcome without a group (before groups were recorded) is not in the report.
    insertOutcome.run('c-old', 0, 1, 'coupon', null, 10);
  })();
  whole = {
    decisions: db
      .prepare(
        `SELECT COALESCE(action, 'none') AS action, grp AS "group", COUNT(*) AS count, ROUND(SUM(cost), 2) AS cost
         FROM decisions GROUP BY COALESCE(action, 'none'), grp ORDER BY action, grp`,
      )
      .all(),
    outcomes: db
      .prepare(
        `SELECT action, grp AS "group", COUNT(*) AS customers, SUM(retained) AS retained FROM (
           SELECT action, grp, retained, ROW_NUMBER() OVER (PARTITION BY action, grp, customer_id ORDER BY id DESC) AS newest
           FROM outcomes WHERE grp IS NOT NULL
         ) WHERE newest = 1 GROUP BY action, grp ORDER BY action, grp`,
      )
      .all(),
  };
  db.close();
  store = openSqliteStore({ dataDir: root });
});

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the SQLite store\'s lift-report aggregates', () => {
  it('sum the decisions per action and group as one statement over the table does', async () => {
    expect(await store.decisionSummary()).toEqual(whole.decisions);
  });

  it('count each customer once per action and group, by their latest outcome there, as one statement does', async () => {
    expect(whole.outcomes).toHaveLength(4);
    expect(await store.outcomeReport()).toEqual(whole.outcomes);
  });

  it('are read over several turns of the event loop, so the storefront serves pages between them', async () => {
    expect((await turnsDuring(() => store.decisionSummary())).turns).toBeGreaterThanOrEqual(2);
    expect((await turnsDuring(() => store.outcomeReport())).turns).toBeGreaterThanOrEqual(2);
  });

  it('are read once for reports asked for while one is being read', async () => {
    const [summary, outcomes] = [store.decisionSummary(), store.outcomeReport()];
    expect(store.decisionSummary()).toBe(summary);
    expect(store.outcomeReport()).toBe(outcomes);
    await Promise.all([summary, outcomes]);
    const again = store.decisionSummary();
    expect(again).not.toBe(summary);
    await again;
  });
});
