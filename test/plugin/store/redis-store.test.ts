import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { ChurnkitError } from '../../../src/errors.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';
import { describeStoreBehaviour, sampleEvents } from './store-behaviour.js';

const available = hasRedisServer();
if (!available) console.warn('Redis store tests skipped: redis-server is not on PATH (CI installs it with apt).');

describe.skipIf(!available)('Redis store (real redis-server)', () => {
  let redis: RunningRedis;
  let prefixes = 0;
  const prefixOf = new WeakMap<object, string>();

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  // Each test gets its own key prefix: the same server, isolated data.
  describeStoreBehaviour('Redis', {
    async open() {
      const keyPrefix = `test${prefixes++}:`;
      const store = await openRedisStore({ url: redis.url, keyPrefix });
      prefixOf.set(store, keyPrefix);
      return store;
    },
    async reopen(first) {
      return openRedisStore({ url: redis.url, keyPrefix: prefixOf.get(first)! });
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
  });
});
