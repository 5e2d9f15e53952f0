import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { ChurnkitError } from '../../../src/errors.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt } from '../../../src/features/online-state.js';
import { openRedisStore, type RedisCommandSender } from '../../../plugin/store/redis-store.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';
import { describeStoreBehaviour, sampleEvents } from './store-behaviour.js';
import { loggingRedisClient } from './redis-command-log.js';

const available = hasRedisServer();
if (!available) console.warn('Redis store tests skipped: redis-server is not on PATH (CI installs it with apt).');

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

describe.skipIf(!available)('Redis store (real redis-server)', () => {
  let redis: RunningRedis;
  let admin: ReturnType<typeof createClient>;
  let prefixes = 0;
  const prefixOf = new WeakMap<object, string>();

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
    await redis?.stop();
  });

  // Each test gets its own key prefix: the same server, isolated data.
  describeStoreBehaviour('Redis', {
    async open(options) {
      const keyPrefix = `test${prefixes++}:`;
      const store = await openRedisStore({ url: redis.url, keyPrefix, ...options });
      prefixOf.set(store, keyPrefix);
      return store;
    },
    async reopen(first, options) {
      const store = await openRedisStore({ url: redis.url, keyPrefix: prefixOf.get(first)!, ...options });
      prefixOf.set(store, prefixOf.get(first)!);
      return store;
    },
    async storedBytes() {
      // Every key and value the server holds, uncompressed, as its snapshot file has them.
      await admin.sendCommand(['SAVE']);
      return readFileSync(join(redis.dir, 'dump.rdb'));
    },
  });

  it('lets two storefront instances share one customer\'s state', async () => {
    const keyPrefix = 'shared:';
    const [first, second] = await Promise.all([
      openRedisStore({ url: redis.url, keyPrefix }),
      openRedisStore({ url: redis.url, keyPrefix }),
    ]);
    try {
      const events = sampleEvents('shared-customer');
      // Interleaved, concurrent writes from both instances: compare-and-set retries keep every event.
      await Promise.all(events.map((event, i) => (i % 2 === 0 ? first : second).appendEvents([event])));
      const fromFirst = await first.getCustomerState('shared-customer');
      expect(fromFirst).not.toBeNull();
      expect(await second.getCustomerState('shared-customer')).toEqual(fromFirst);

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? first : second).recordDecision(
            {
              customerId: `d${i}`, ts: 1, day: '2026-01-10', modelVersion: 'm', probability: 0.5, customerValue: 10,
              group: 'treatment', action: 'coupon', cost: 3, expectedValues: {}, skipped: {}, explanation: '',
            },
            10,
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(3);
      expect(await second.spent('2026-01-10')).toBe(9);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('holds 200 concurrent single events for one hot customer, from one instance and from three, without refusing any', async () => {
    const keyPrefix = 'hot:';
    const instances = await Promise.all([0, 1, 2].map(() => openRedisStore({ url: redis.url, keyPrefix })));
    try {
      const event = (i: number): ChurnEvent => ({ customerId: 'hot', ts: T0 + i * 1000, type: i % 10 === 0 ? 'order' : 'page_view', value: 10, id: `e${i}` });
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => instances[0]!.appendEvents([event(i)])));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const spread = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => instances[i % 3]!.appendEvents([event(200 + i)])));
      expect(spread.filter((result) => result.status === 'rejected')).toEqual([]);
      const state = (await instances[1]!.getCustomerState('hot'))!;
      expect(state.eventsTotal).toBe(400);
      expect(state.ordersTotal).toBe(40);
      expect(await admin.xLen('hot:events:hot')).toBe(400);
    } finally {
      await Promise.all(instances.map((store) => store.close()));
    }
  });

  it('stores 300 concurrent batches from three instances each exactly once, and a retry of any of them changes nothing', async () => {
    const keyPrefix = 'batches:';
    const instances = await Promise.all([0, 1, 2].map(() => openRedisStore({ url: redis.url, keyPrefix })));
    try {
      // Every batch touches five of twenty customers: instances keep colliding on the same ones.
      const batch = (b: number): ChurnEvent[] =>
        Array.from({ length: 5 }, (_, i) => ({ customerId: `c${(b * 7 + i * 3) % 20}`, ts: T0 + b * 1000 + i, type: 'order', value: 1 + (b % 7), id: `b${b}-${i}` }));
      const batches = Array.from({ length: 300 }, (_, b) => batch(b));
      const results = await Promise.allSettled(batches.map((events, b) => instances[b % 3]!.appendEvents(events)));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      await Promise.all(batches.map((events, b) => instances[(b + 1) % 3]!.appendEvents(events)));
      const asOf = T0 + 400_000;
      for (let c = 0; c < 20; c++) {
        const mine = batches.flat().filter((event) => event.customerId === `c${c}`);
        expect(await admin.xLen(`batches:events:c${c}`)).toBe(mine.length);
        let expected = createCustomerState();
        for (const event of [...mine].sort((a, b) => a.ts - b.ts)) expected = applyEvent(expected, event);
        expect(featuresAt((await instances[0]!.getCustomerState(`c${c}`))!, asOf)).toEqual(featuresAt(expected, asOf));
      }
    } finally {
      await Promise.all(instances.map((store) => store.close()));
    }
  });

  it('refuses a batch it could not write without a conflict, and then none of it is stored', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    let interfered = false;
    // Another instance writes customer b between this store's read and its write.
    const sender: RedisCommandSender = {
      async sendCommand(args, options) {
        if (!interfered && (args[0] === 'EVALSHA' || args[0] === 'EVAL') && args.includes('contended:customer:b')) {
          interfered = true;
          await client.set('contended:customer:b', 'written by someone else');
        }
        return client.sendCommand(args, options);
      },
    };
    const store = await openRedisStore({ client: sender, keyPrefix: 'contended:', maxRetries: 1 });
    try {
      const events = [...sampleEvents('a'), ...sampleEvents('b')];
      await expect(store.appendEvents(events)).rejects.toMatchObject({ code: 'STORE_CONTENTION' });
      expect(await store.getCustomerState('a')).toBeNull();
      expect(await client.exists(['contended:events:a', 'contended:events:b', 'contended:customers'])).toBe(0);
    } finally {
      await store.close();
      await client.close();
    }
  });

  it('folds a customer\'s next events onto the state it wrote without reading it, yet counts a retry once and never brings back an erased history', async () => {
    const { client, sender: counting, sent } = await loggingRedisClient(redis.url);
    const keyPrefix = 'remembered:';
    const store = await openRedisStore({ client: counting, keyPrefix });
    const other = await openRedisStore({ url: redis.url, keyPrefix });
    const event = (i: number): ChurnEvent => ({ customerId: 'c', ts: T0 + i * DAY_MS, type: 'order', value: 10, id: `e${i}` });
    const eventsStored = async () => (await store.getCustomerState('c'))!.eventsTotal;
    try {
      await store.appendEvents([event(1)]);
      expect(sent).toContain('GETRANGE');
      sent.length = 0;
      await store.appendEvents([event(2)]);
      // One round trip: the write script alone, folded from the state this store wrote.
      expect(sent).toEqual(['EVALSHA']);

      // A retried event the remembered state cannot know about: the script refuses, the group is read and the event skipped.
      await store.appendEvents([event(2)]);
      expect(await eventsStored()).toBe(2);
      expect(await admin.xLen(`${keyPrefix}events:c`)).toBe(2);

      // Another instance writes the customer: the remembered state is stale, and its events are kept.
      await other.appendEvents([event(3)]);
      await store.appendEvents([event(4)]);
      expect(await eventsStored()).toBe(4);

      // Another instance erases the customer: an event after it starts a new history, not the remembered one.
      await other.eraseCustomer!('c');
      await store.appendEvents([event(5)]);
      expect(await eventsStored()).toBe(1);
      expect(await admin.xLen(`${keyPrefix}events:c`)).toBe(1);
    } finally {
      await Promise.all([store.close(), other.close()]);
      await client.close();
    }
  });

  it('reads a customer\'s recent decisions from the newest back, however many came before, out-of-order clocks included', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    let decisionsSent = 0;
    const counting: RedisCommandSender = {
      async sendCommand(args, options) {
        const reply = await client.sendCommand(args, options);
        // Decision JSONs that came back: LRANGE's list, or the tail script's [length, list].
        const list = args[0] === 'LRANGE' ? reply : Array.isArray(reply) && Array.isArray(reply[1]) ? reply[1] : [];
        decisionsSent += (list as unknown[]).length;
        return reply;
      },
    };
    const store = await openRedisStore({ client: counting, keyPrefix: 'history:' });
    const decision = (ts: number) => ({
      customerId: 'c', ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'm', probability: 0.5, customerValue: 10,
      group: 'treatment' as const, action: 'coupon', cost: 1, expectedValues: {}, skipped: {}, explanation: '',
    });
    try {
      for (let day = 0; day < 200; day++) await store.recordDecision(decision(T0 + day * DAY_MS), Infinity);
      // Recorded last by an instance whose clock is half a day behind.
      await store.recordDecision(decision(T0 + 185.5 * DAY_MS), Infinity);
      const since = T0 + 170 * DAY_MS;
      const expected = [...Array.from({ length: 30 }, (_, i) => T0 + (170 + i) * DAY_MS), T0 + 185.5 * DAY_MS].sort((a, b) => a - b);

      decisionsSent = 0;
      const view = await store.readCustomerView!('c', T0 + 200 * DAY_MS, since);
      expect(view.decisions.map((past) => past.ts)).toEqual(expected);
      // Three chunks of 16 reach back past the window's start; the 170 older decisions stay on the server.
      expect(decisionsSent).toBeLessThanOrEqual(48);

      expect((await store.decisionsSince('c', since)).map((past) => past.ts)).toEqual(expected);
      expect((await store.decisionsSince('c', T0 - DAY_MS)).length).toBe(201);

      // A decision in the window pushed just before one 30 minutes older than the window (a
      // clock behind, within the hour allowed), which opens a full newest chunk: still found.
      const skewed = (ts: number) => ({ ...decision(ts), customerId: 'skewed' });
      await store.recordDecision(skewed(since + 30 * 60_000), Infinity);
      await store.recordDecision(skewed(since - 30 * 60_000), Infinity);
      for (let day = 1; day <= 15; day++) await store.recordDecision(skewed(since + day * DAY_MS), Infinity);
      const found = await store.decisionsSince('skewed', since);
      expect(found.map((past) => past.ts)).toEqual([since + 30 * 60_000, ...Array.from({ length: 15 }, (_, i) => since + (i + 1) * DAY_MS)]);
    } finally {
      await store.close();
      await client.close();
    }
  });

  it('checks cooldown and cap on the decision write from the newest back, reading no further than the windows and the clock skew allowed', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'limits:' });
    const decision = (customerId: string, ts: number, action = 'coupon') => ({
      customerId, ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'm', probability: 0.5, customerValue: 10,
      group: 'treatment' as const, action, cost: 1, expectedValues: {}, skipped: {}, explanation: '',
    });
    const lranges = async () => Number(/cmdstat_lrange:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
    try {
      for (let day = 0; day < 200; day++) await store.recordDecision(decision('c', T0 + day * DAY_MS), Infinity);
      const now = T0 + 205 * DAY_MS;
      const limits = (maxPerCustomer: number) => ({ cooldownAfter: now - DAY_MS, capSince: now - 30 * DAY_MS, maxPerCustomer });
      const before = await lranges();
      // 25 coupons in the cap window (days 175 to 199).
      expect(await store.recordDecision(decision('c', now), Infinity, limits(25))).toBe('cap');
      // Two chunks of 16 reach back past the window's start; the 174 older decisions are never read.
      expect((await lranges()) - before).toBe(2);
      expect(await store.recordDecision(decision('c', now), Infinity, limits(26))).toBe(true);

      // A coupon in the cooldown, pushed before a decision older than the window by half an
      // hour (an instance whose clock is behind, within the hour allowed): still found.
      await store.recordDecision(decision('skewed', now - 60 * 60_000), Infinity);
      await store.recordDecision(decision('skewed', now - DAY_MS - 30 * 60_000, 'care'), Infinity);
      expect(await store.recordDecision(decision('skewed', now), Infinity, limits(Infinity))).toBe('cooldown');
    } finally {
      await store.close();
    }
  });

  it('reads, and erases, what stores before binary states and per-customer logs wrote', async () => {
    const keyPrefix = 'legacy:';
    const state = createCustomerState();
    for (const event of sampleEvents('old')) applyEvent(state, event);
    await admin.set(`${keyPrefix}customer:old`, JSON.stringify(state));
    await admin.zAdd(`${keyPrefix}customers`, { score: 0, value: 'old' });
    for (const event of [...sampleEvents('old'), ...sampleEvents('other')]) await admin.xAdd(`${keyPrefix}events`, '*', { event: JSON.stringify(event) });
    await admin.rPush(`${keyPrefix}outcomes`, [JSON.stringify({ customerId: 'old', ts: 1, retained: true, action: 'none', group: null }), JSON.stringify({ customerId: 'other', ts: 1, retained: true, action: 'none', group: null })]);
    const store = await openRedisStore({ url: redis.url, keyPrefix });
    try {
      expect(await store.getCustomerState('old')).toEqual(state);
      const asOf = T0 + 30 * DAY_MS;
      expect((await store.readCustomerView!('old', asOf, 0)).features).toEqual(featuresAt(state, asOf));
      await store.appendEvents([{ customerId: 'old', ts: T0 + 20 * DAY_MS, type: 'order', value: 3 }]);
      expect((await store.getCustomerState('old'))!.ordersTotal).toBe(state.ordersTotal + 1);
      expect(await store.eraseCustomer!('old')).toEqual({ state: true, events: sampleEvents('old').length + 1, decisions: 0, outcomes: 1 });
      expect(await admin.xLen(`${keyPrefix}events`)).toBe(sampleEvents('other').length);
      expect(await admin.lLen(`${keyPrefix}outcomes`)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('works on a client the caller owns and leaves it open', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    const store = await openRedisStore({ client, keyPrefix: 'owned:' });
    await store.appendEvents(sampleEvents('c1'));
    await store.close();
    expect(await client.exists('owned:customer:c1')).toBe(1);
    await client.close();
  });

  it('fails with a message naming the URL when Redis is unreachable', async () => {
    await expect(openRedisStore({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(ChurnkitError);
    await expect(openRedisStore({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/redis:\/\/127\.0\.0\.1:1/);
    await expect(openRedisStore({ url: 'redis://127.0.0.1:1', customerIdKey: 'short' })).rejects.toThrow(/at least 16 bytes/);
  });

  it('never puts the password of the URL in its message', async () => {
    for (const url of ['redis://:s3cret-pass@127.0.0.1:1', 'redis://shop:s3cret-pass@127.0.0.1:1/2']) {
      const error = (await openRedisStore({ url }).catch((caught: unknown) => caught)) as ChurnkitError;
      expect(error.code).toBe('STORE_CONNECT');
      expect(error.message).not.toContain('s3cret-pass');
      expect(error.message).toContain('127.0.0.1:1');
    }
  });

  it('reads the lift report\'s outcomes a page at a time, each customer once, and once for reports asked for meanwhile', async () => {
    const keyPrefix = 'paged-report:';
    const customers = 3_000;
    const fields: Record<string, string> = {};
    for (let c = 0; c < customers; c++) fields[JSON.stringify(['coupon', c % 4 ? 'treatment' : 'holdout', `c${c}`])] = c % 3 ? '1' : '0';
    await admin.hSet(`${keyPrefix}latest-outcomes`, fields);
    const { client, sender, sent } = await loggingRedisClient(redis.url);
    const store = await openRedisStore({ client: sender, keyPrefix });
    try {
      const report = store.outcomeReport();
      expect(store.outcomeReport()).toBe(report);
      expect(await report).toEqual([
        { action: 'coupon', group: 'holdout', customers: 750, retained: 500 },
        { action: 'coupon', group: 'treatment', customers: 2250, retained: 1500 },
      ]);
      // Pages, not one reply of every customer.
      expect(sent.filter((command) => command === 'HSCAN').length).toBeGreaterThanOrEqual(3);
      expect(sent).not.toContain('HGETALL');
    } finally {
      await store.close();
      await client.close();
    }
  });
});
