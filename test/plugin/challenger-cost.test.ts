/**
 * What `GET /challenger` costs the storefront. The route is public and its comparison reads
 * the event log, the store's largest table: a caller must not be able to stall the event loop
 * (and with it every product page and `/healthz`) by asking for it.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { compareChallenger } from '../../plugin/challenger/compare-challenger.js';
import type { LoggedChallengerScore } from '../../plugin/store/types.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { NOW, countCalls, testStorefront, type TestStorefront } from './plugin-app.js';

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
    let turns = 0;
    let comparing = true;
    const countTurns = () => {
      turns++;
      if (comparing) setImmediate(countTurns);
    };
    setImmediate(countTurns);
    const report = await compareChallenger(scoresWithoutTurns(20_000), () => eventsWithoutTurns(100_000, 20_000));
    comparing = false;
    expect(report.comparisons[0]!.scoredRequests).toBe(20_000);
    expect(turns).toBeGreaterThanOrEqual((20_000 + 100_000) / 10_000);
  });
});
