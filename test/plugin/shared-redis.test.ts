import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../plugin/store/redis-store.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './store/redis-server.js';
import { DAY, EMPTY_CART_COUPON, issuedActions, NOW, testStorefront, viewAtOnceFromCache, type TestStorefront } from './plugin-app.js';
import { requirement } from '../support/requirement.js';

// Two storefront instances, one real redis-server: what several app servers behind a load balancer share.
const redisServer = requirement(hasRedisServer(), 'redis-server is not installed');
describe.skipIf(!redisServer.met)(redisServer.title('two storefront instances sharing one Redis'), () => {
  let redis: RunningRedis;
  let first: TestStorefront;
  let second: TestStorefront;
  const policy = { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] };

  beforeAll(async () => {
    redis = await startRedisServer();
    const options = { holdoutFraction: 0, policy, dailyBudget: 10, storeTimeoutMs: 2000 };
    first = await testStorefront({ ...options, store: await openRedisStore({ url: redis.url, keyPrefix: 'shop:' }) });
    second = await testStorefront({ ...options, store: await openRedisStore({ url: redis.url, keyPrefix: 'shop:' }) });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.stop();
  });

  it('scores on one instance the events posted to the other, and shares cooldown and budget', async () => {
    await request(first.app)
      .post('/churn/events')
      .send({ events: ['s1', 's2', 's3'].map((id) => ({ customerId: id, ts: NOW - 300 * DAY, type: 'order', value: 40 })) })
      .expect(201);
    const onSecond = (await request(second.app).post('/churn/score').send({ customerId: 's1' }).expect(200)).body;
    expect(onSecond.probability).toBeGreaterThan(0.6);
    expect(onSecond.action?.name).toBe('coupon');
    // Cooldown: the first instance sees the coupon the second one issued.
    const onFirst = (await request(first.app).post('/churn/score').send({ customerId: 's1' }).expect(200)).body;
    expect(onFirst.action).toBeNull();
    expect(onFirst.explanation).toMatch(/skipped coupon \(cooldown/);
    // Budget 10 = two coupons across both instances.
    expect((await request(first.app).post('/churn/score').send({ customerId: 's2' })).body.action?.name).toBe('coupon');
    const third = (await request(second.app).post('/churn/score').send({ customerId: 's3' })).body;
    expect(third.action).toBeNull();
    expect(third.explanation).toMatch(/budget/);
  });

  it('issues one coupon between two instances deciding for the same customer at once, each on its cached history', async () => {
    const options = { holdoutFraction: 0, policy: { actions: [EMPTY_CART_COUPON] }, storeTimeoutMs: 2000 };
    const instances = [
      await testStorefront({ ...options, store: await openRedisStore({ url: redis.url, keyPrefix: 'race:' }) }),
      await testStorefront({ ...options, store: await openRedisStore({ url: redis.url, keyPrefix: 'race:' }) }),
    ];
    try {
      await instances[0]!.store.appendEvents([{ customerId: 'r1', ts: NOW - 300 * DAY, type: 'order', value: 40 }]);
      const served = await viewAtOnceFromCache(instances, 'r1');
      expect(issuedActions(served)).toEqual(['coupon', null]);
      expect(served.find((churn) => churn.status === 'ok' && churn.action === null)).toMatchObject({
        explanation: expect.stringMatching(/skipped coupon \(cooldown: issued moments ago by another request/),
      });
      expect(await instances[1]!.store.decisionsSince('r1', 0)).toHaveLength(1);
      expect(await instances[1]!.store.spent('2026-11-23')).toBe(5);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});
