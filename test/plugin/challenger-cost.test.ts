/**
 * What `GET /challenger` costs the storefront. The route is public and its comparison reads
 * the event log, the store's largest table: a caller must not be able to stall the event loop
 * (and with it every product page and `/healthz`) by asking for it.
 */
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { compareChallenger } from '../../plugin/challenger/compare-challenger.js';
import { REPORT_REUSE_MS } from '../../plugin/challenger/shared-report.js';
import type { LoggedChallengerScore } from '../../plugin/store/types.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { NOW, countCalls, testStorefront, type TestStorefront } from './plugin-app.js';
import { testModel } from './test-model.js';
import { turnsDuring } from '../support/event-loop-turns.js';

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('GET /challenger on a busy storefront', () => {
  it('reads no event when no challenger score was logged, and answers the empty comparison', async () => {
    shop = await testStorefront();
    await shop.store.appendEvents([{ customerId: 'c1', ts: shop.clock.now, type: 'order', value: 20 }]);
    const eventLog = countCalls(shop, 'eventLog');
    const report = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(eventLog.calls).toBe(0);
    expect(report).toMatchObject({ challenger: null, comparisons: [], labels: { completeUntil: null } });
  });
});

async function scoreCustomers(target: TestStorefront, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await request(target.app).post('/churn/score').send({ customerId: `c${index}`, record: { recency_days: index * 10, log_orders_total: 1, cart_items: 0 } }).expect(200);
  }
}

async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise(setImmediate);
}

/** Counts the reads of the store's challenger log, each held until `gate` resolves. */
function holdChallengerLog(target: TestStorefront, gate: Promise<void>): { calls: number } {
  const counter = { calls: 0 };
  const original = target.store.challengerLog!.bind(target.store);
  target.store.challengerLog = () => {
    counter.calls++;
    return (async function* () {
      await gate;
      yield* original();
    })();
  };
  return counter;
}

describe('GET /challenger asked again and again', () => {
  it('computes one comparison for requests that arrive while it runs, and gives each the same answer', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    await scoreCustomers(shop, 5);
    let release!: () => void;
    const reads = holdChallengerLog(shop, new Promise((resolve) => (release = resolve)));
    let arrived = 0;
    const counted = express();
    counted.use((_req, _res, next) => {
      arrived++;
      next();
    });
    counted.use(shop.app);
    const answers = Promise.all(Array.from({ length: 4 }, () => request(counted).get('/churn/challenger').expect(200)));
    while (arrived < 4) await turns(1);
    // Time for every request to reach the store, had it its own comparison.
    await turns(50);
    release();
    const bodies = (await answers).map((answer) => answer.body);
    expect(reads.calls).toBe(1);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0].comparisons[0].scoredRequests).toBe(5);
  });

  it(`serves a finished comparison again for ${REPORT_REUSE_MS / 1000} s of the plugin's clock, then computes a new one`, async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    await scoreCustomers(shop, 3);
    const reads = countCalls(shop, 'challengerLog');
    const first = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    await scoreCustomers(shop, 5);
    shop.clock.now += REPORT_REUSE_MS - 1;
    const reused = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(reads.calls).toBe(1);
    expect(reused).toEqual(first);
    expect(reused.comparisons[0].scoredRequests).toBe(3);
    shop.clock.now += 1;
    const fresh = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(reads.calls).toBe(2);
    expect(fresh.comparisons[0].scoredRequests).toBe(3 + 5);
  });
});

describe('a comparison that failed', () => {
  it('is not kept: the next request computes one again', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1, onError: () => {} });
    await scoreCustomers(shop, 3);
    const original = shop.store.challengerLog!.bind(shop.store);
    shop.store.challengerLog = () => {
      shop!.store.challengerLog = original;
      return (async function* () {
        yield* [];
        throw new Error('the disk went away');
      })();
    };
    expect((await request(shop.app).get('/churn/challenger').expect(503)).body.error.code).toBe('STORE_ERROR');
    expect((await request(shop.app).get('/churn/challenger').expect(200)).body.comparisons[0].scoredRequests).toBe(3);
  });
});

describe('comparing on a long log', () => {
  /** `count` events of `customers` customers, in batches of 10,000 with no turn of the event loop between them, as SQLite gives them. */
  async function* eventsWithoutTurns(count: number, customers: number): AsyncIterable<readonly ChurnEvent[]> {
    for (let start = 0; start < count; start += 10_000) {
      yield Array.from({ length: Math.min(10_000, count - start) }, (_, offset) => ({ customerId: `c${(start + offset) % customers}`, ts: NOW + (start + offset) * 1000, type: 'order' as const, value: 10 }));
    }
  }

  async function* scoresWithoutTurns(count: number): AsyncIterable<LoggedChallengerScore> {
    for (let index = 0; index < count; index++) {
      yield { score: { customerId: `c${index}`, ts: NOW, championVersion: 'v1', championProbability: 0.4, challengerVersion: 'v2', challengerProbability: 0.6 }, outcome: null };
    }
  }

  it('lets the event loop turn at least every 10,000 events and scores, so the storefront keeps answering', async () => {
    const { value: report, turns } = await turnsDuring(() => compareChallenger(scoresWithoutTurns(20_000), () => eventsWithoutTurns(100_000, 20_000)));
    expect(report.comparisons[0]!.scoredRequests).toBe(20_000);
    expect(turns).toBeGreaterThanOrEqual((20_000 + 100_000) / 10_000);
  });
});
