import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExplainableChurnModel } from '../../../src/explain/explainable.js';
import { buildDashboard } from '../../../plugin/demo/dashboard-data.js';
import { DEMO_POLICY } from '../../../plugin/demo/demo-policy.js';
import { resolveOptions } from '../../../plugin/express/options.js';
import { assignGroup } from '../../../plugin/policy/holdout.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnStore, Decision } from '../../../plugin/store/types.js';
import { testModel } from '../test-model.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T15:00:00Z');
const TODAY = '2026-11-23';
const policy = resolveOptions({ model: {}, identify: () => null, ...DEMO_POLICY }).policy;
const bands = { medium: 0.3, high: 0.6 };

/** Customer ids the demo's hold-out puts in treatment. */
function treatmentIds(count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) {
    if (assignGroup(`T${i}`, policy.holdoutFraction, policy.holdoutSalt) === 'treatment') ids.push(`T${i}`);
  }
  return ids;
}

/** A customer who spent `spent` in two orders and has not ordered for `daysAgo` days. */
function lapsedBuyer(customerId: string, daysAgo: number, spent: number) {
  return [0, 30].map((earlier) => ({ customerId, ts: NOW - (daysAgo + earlier) * DAY, type: 'order', value: spent / 2, quantity: 1 }));
}

/** Overwrites a customer's stored state behind the store's back, as a bad disk or a careless hand would. */
function corruptState(dataDir: string, customerId: string, state: Buffer | string): void {
  const db = new Database(join(dataDir, 'churnkit.sqlite'));
  try {
    db.prepare('UPDATE customers SET state = ? WHERE customer_id = ?').run(state, customerId);
  } finally {
    db.close();
  }
}

function spendToday(cost: number): Decision {
  return {
    customerId: 'someone-else', ts: NOW - 3_600_000, day: TODAY, modelVersion: 'test-v1', probability: 0.9, customerValue: 500,
    group: 'treatment', action: 'coupon', cost, expectedValues: {}, skipped: {}, explanation: 'spent earlier today',
  };
}

describe('demo dashboard data', () => {
  let dir: string;
  let store: ChurnStore;
  let model: ExplainableChurnModel;
  const [valuable, modest, worthless] = treatmentIds(3) as [string, string, string];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'churnkit-dashboard-data-'));
    store = openSqliteStore({ dataDir: dir });
    model = await testModel();
    await store.appendEvents([
      ...lapsedBuyer(valuable, 200, 900),
      // Riskier (longer gone) but worth far less: expected loss ranks it below.
      ...lapsedBuyer(modest, 300, 60),
      { customerId: worthless, ts: NOW - 350 * DAY, type: 'session_start' },
    ]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists customers by expected loss (probability × value), not by probability alone', async () => {
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    expect(data.atRisk.map((row) => row.customerId)).toEqual([valuable, modest, worthless]);
    for (const row of data.atRisk) expect(row.expectedLoss).toBeCloseTo(row.probability * row.customerValue, 9);
    const [first, second] = data.atRisk;
    expect(second!.probability).toBeGreaterThan(first!.probability);
  });

  it("counts each histogram bin's customers by their own band, so the bins add up to the band counts", async () => {
    // Cut-offs inside bins (30–35 %, 60–65 %), as a model's own usually are.
    const data = await buildDashboard({ store, model, bands: { medium: 0.33, high: 0.62 }, policy, now: NOW });
    const { counts, countsByBand } = data.histogram;
    for (const band of ['low', 'medium', 'high'] as const) {
      expect(countsByBand[band].reduce((sum, count) => sum + count, 0)).toBe(data.bandCounts[band]);
    }
    counts.forEach((count, bin) => expect(countsByBand.low[bin]! + countsByBand.medium[bin]! + countsByBand.high[bin]!).toBe(count));
  });

  it("previews the coupon while today's budget can pay for it, without recording or spending anything", async () => {
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    const row = data.atRisk.find((candidate) => candidate.customerId === valuable)!;
    expect(row).toMatchObject({ action: 'coupon', group: 'treatment', decidedAt: null });
    expect(await store.spent(TODAY)).toBe(0);
    expect(await store.decisionsSince(valuable, 0)).toEqual([]);
  });

  it('previews no paid action once the day budget is spent, saying the budget refused it, as the policy would', async () => {
    await store.recordDecision(spendToday(400), policy.dailyBudget);
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    expect(data.budget.spent).toBe(400);
    const row = data.atRisk.find((candidate) => candidate.customerId === valuable)!;
    expect(row.action).toBeNull();
    expect(row.explanation).toContain(`coupon (budget: 400 for ${TODAY} would be exceeded)`);
  });

  it('falls back to the action that still fits the budget left', async () => {
    await store.recordDecision(spendToday(395), policy.dailyBudget);
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    const row = data.atRisk.find((candidate) => candidate.customerId === valuable)!;
    expect(row.action).toBe('care_call');
    expect(row.explanation).toMatch(/^care_call: EV [\d.,]+ > .*skipped coupon \(budget/);
  });

  it('applies cooldowns from earlier decisions, and shows a decision logged today as made', async () => {
    await store.recordDecision({ ...spendToday(10), customerId: valuable, ts: NOW - 2 * DAY, day: '2026-11-21' }, policy.dailyBudget);
    const cooling = (await buildDashboard({ store, model, bands, policy, now: NOW })).atRisk.find((row) => row.customerId === valuable)!;
    expect(cooling.action).not.toBe('coupon');
    expect(cooling.explanation).toContain('coupon (cooldown: last issued 2 days ago, cooldown 7 days)');

    const today = { ...spendToday(4), customerId: valuable, action: 'care_call', explanation: 'care_call: EV 100.00 > none' };
    await store.recordDecision(today, policy.dailyBudget);
    const decided = (await buildDashboard({ store, model, bands, policy, now: NOW })).atRisk.find((row) => row.customerId === valuable)!;
    expect(decided).toMatchObject({ action: 'care_call', decidedAt: today.ts, explanation: today.explanation });
  });

  it('gives every reason its words for a person beside the raw feature, value and contribution', async () => {
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    const reasons = data.atRisk[0]!.reasons;
    expect(reasons.length).toBeGreaterThan(0);
    const orders = reasons.find((reason) => reason.feature === 'log_orders_total')!;
    expect(orders).toMatchObject({ value: Math.log1p(2), text: '2 orders so far' });
    expect(typeof orders.contribution).toBe('number');
  });

  it('leaves out a customer whose stored state cannot be read, counts and reports them, and shows everyone else', async () => {
    corruptState(dir, modest, Buffer.from('0067617262616765', 'hex'));
    const unreadable: { code: string; position: number }[] = [];
    const data = await buildDashboard({
      store, model, bands, policy, now: NOW,
      onUnreadable: (error, position) => unreadable.push({ code: error.code, position }),
    });
    expect(data.atRisk.map((row) => row.customerId)).toEqual([valuable, worthless]);
    expect(data.customers).toBe(2);
    expect(data.unreadableCustomers).toBe(1);
    expect(data.histogram.counts.reduce((sum, count) => sum + count, 0)).toBe(2);
    // Customers are listed in id order: the position says which row to look at.
    expect(unreadable).toEqual([{ code: 'STATE_FORMAT', position: [valuable, modest, worthless].sort().indexOf(modest) }]);
  });

  it('leaves out a customer whose state, stored as JSON text by an earlier version, parses but is no state (the codec refuses it)', async () => {
    corruptState(dir, modest, '{"version":1,"days":[null],"categories":[]}');
    const unreadable: { code: string; position: number }[] = [];
    const data = await buildDashboard({ store, model, bands, policy, now: NOW, onUnreadable: (error, position) => unreadable.push({ code: error.code, position }) });
    expect(data.atRisk.map((row) => row.customerId)).toEqual([valuable, worthless]);
    expect(data.unreadableCustomers).toBe(1);
    expect(unreadable).toEqual([{ code: 'STATE_FORMAT', position: [valuable, modest, worthless].sort().indexOf(modest) }]);
  });

  it('still answers when no stored state can be read', async () => {
    for (const customerId of [valuable, modest, worthless]) corruptState(dir, customerId, Buffer.from('garbage'));
    const data = await buildDashboard({ store, model, bands, policy, now: NOW });
    expect(data).toMatchObject({ customers: 0, unreadableCustomers: 3, atRisk: [] });
  });

  it("lets the shop's other requests in between pages of a large store, rather than holding the main thread until every customer is scored", async () => {
    // More customers than one page of the store's listing (1,000).
    await store.appendEvents(Array.from({ length: 1200 }, (_, index) => ({ customerId: `L${index}`, ts: NOW - DAY, type: 'session_start' })));
    const turnsSeenByPage: boolean[] = [];
    let anotherRequestServed = false;
    const watched: ChurnStore = Object.create(store);
    watched.listCustomers = (limit, offset) => {
      turnsSeenByPage.push(anotherRequestServed);
      return store.listCustomers(limit, offset);
    };
    // What a shopper's request is to the event loop: work queued for a later turn.
    setImmediate(() => (anotherRequestServed = true));
    const data = await buildDashboard({ store: watched, model, bands, policy, now: NOW });
    expect(data.customers).toBe(1203);
    expect(turnsSeenByPage).toEqual([false, true]);
  });

  it("throws the store's own failures rather than counting customers as unreadable", async () => {
    const failing: ChurnStore = Object.create(store);
    failing.listCustomers = () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
    await expect(buildDashboard({ store: failing, model, bands, policy, now: NOW })).rejects.toThrow('SQLITE_IOERR');
  });
});
