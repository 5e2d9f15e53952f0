/**
 * Rules of the Redis store that a mutation audit found no test guarding: ids shared by two
 * batches of one group commit, outcome attribution among decisions logged at the same time,
 * free decisions on a day already over its (lowered) budget, decisions of one time read
 * across chunks, and an erasure that forgets what the store remembered of the customer.
 * Each test runs on its own key prefix of one throwaway redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import type { Decision } from '../../../plugin/store/types.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';
import { loggingRedisClient } from './redis-command-log.js';

const available = hasRedisServer();
if (!available) console.warn('Redis rule tests skipped: redis-server is not on PATH (CI installs it with apt).');

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    customerId: 'c1', ts: T0, day: '2026-01-10', modelVersion: 'test-1', probability: 0.6, customerValue: 100,
    group: 'treatment', action: 'coupon', cost: 5, expectedValues: { coupon: 4.1, none: 0 }, skipped: {}, explanation: '',
    ...overrides,
  };
}

describe.skipIf(!available)('Redis store rules (real redis-server)', () => {
  let redis: RunningRedis;
  let prefixes = 0;
  const nextPrefix = () => `rules${prefixes++}:`;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('counts an event once when two batches of the same group commit carry its id', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: nextPrefix() });
    try {
      const order: ChurnEvent = { customerId: 'twice', ts: T0, type: 'order', value: 10, id: 'o1' };
      // Both appends are made in one turn of the event loop, so they are folded in one group:
      // the id the first batch adds must be known to the second, though neither is stored yet.
      await Promise.all([store.appendEvents([order]), store.appendEvents([order])]);
      const state = (await store.getCustomerState('twice'))!;
      expect(state.eventsTotal).toBe(1);
      expect(state.ordersTotal).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('attributes an outcome to the decision recorded last when two share the latest timestamp', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: nextPrefix() });
    try {
      // Two decisions in the same millisecond (two instances, or a retried request): the later logged one is the latest.
      await store.recordDecision(decision({ customerId: 'same-ms', action: 'care', cost: 1 }), Infinity);
      await store.recordDecision(decision({ customerId: 'same-ms', action: 'coupon' }), Infinity);
      await store.recordOutcome({ customerId: 'same-ms', ts: T0 + DAY_MS, retained: true });
      expect(await store.outcomeReport()).toEqual([{ action: 'coupon', group: 'treatment', customers: 1, retained: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('always logs a free decision, even on a day already spent past a budget lowered since', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: nextPrefix() });
    try {
      expect(await store.recordDecision(decision({ cost: 10 }), 10)).toBe(true);
      // The budget is lowered to 5 during the day: paid decisions are refused, hold-outs and "none" still logged.
      expect(await store.recordDecision(decision({ cost: 1, ts: T0 + 1 }), 5)).toBe(false);
      expect(await store.recordDecision(decision({ cost: 0, action: null, group: 'holdout', ts: T0 + 2 }), 5)).toBe(true);
      expect((await store.decisionsSince('c1', 0)).map((logged) => logged.ts)).toEqual([T0, T0 + 2]);
      expect(await store.spent('2026-01-10')).toBe(10);
    } finally {
      await store.close();
    }
  });

  it('returns decisions of the same time in the order they were logged, across the chunks it reads them in', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: nextPrefix() });
    try {
      // 20 decisions in one millisecond: more than one chunk of 16 is read, newest first, yet the answer is in logging order.
      for (let i = 0; i < 20; i++) await store.recordDecision(decision({ customerId: 'burst', probability: i / 100, action: i % 3 === 0 ? 'care' : 'coupon' }), Infinity);
      const logged = (await store.decisionsSince('burst', T0)).map((past) => past.probability);
      expect(logged).toEqual(Array.from({ length: 20 }, (_, i) => i / 100));
      const actions = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 'care' : 'coupon'));
      expect((await store.readCustomerView!('burst', T0 + DAY_MS, T0)).decisions.map((past) => past.action)).toEqual(actions);
    } finally {
      await store.close();
    }
  });

  it('forgets the state it remembered of a customer it erases: their next event is folded from a fresh read', async () => {
    const { client, sender: counting, sent } = await loggingRedisClient(redis.url);
    const store = await openRedisStore({ client: counting, keyPrefix: nextPrefix() });
    const event = (i: number): ChurnEvent => ({ customerId: 'erased', ts: T0 + i * DAY_MS, type: 'order', value: 10, id: `e${i}` });
    try {
      await store.appendEvents([event(1)]);
      await store.appendEvents([event(2)]);
      await store.eraseCustomer!('erased');
      sent.length = 0;
      await store.appendEvents([event(3)]);
      // Nothing of the erased customer is kept in memory: the append reads the (empty) customer
      // first and writes once, instead of trying a write folded from their erased history.
      expect(sent[0]).toBe('GETRANGE');
      expect(sent.filter((command) => command === 'EVALSHA' || command === 'EVAL')).toHaveLength(1);
      expect((await store.getCustomerState('erased'))!.eventsTotal).toBe(1);
    } finally {
      await store.close();
      await client.close();
    }
  });
});
