/**
 * A storefront whose Redis refuses or drops its commands: out of memory (`maxmemory` with
 * `noeviction`), turned into a read-only replica, killed and restarted, killed with a write
 * in flight. The 503 of `POST /churn/events` and the unavailable assessment name the cause in
 * churnkit's words (never Redis's reply, which can quote keys), nothing of a refused batch is
 * stored, and its retry counts once.
 */
import request from 'supertest';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { requirement } from '../../support/requirement.js';
import { NOW, testStorefront, type TestStorefront } from '../plugin-app.js';
import { freePort, hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

/** Far longer than the store's reconnection backoff (at most 2 s a try): catches a store that never reconnects. */
const RECONNECT_BOUND_MS = 20_000;

const redisServer = requirement(hasRedisServer(), 'redis-server is not installed');
describe.skipIf(!redisServer.met)(redisServer.title('a storefront whose Redis refuses its commands'), () => {
  let redis: RunningRedis;
  let raw: ReturnType<typeof createClient>;
  let store: ChurnStore;
  let shop: TestStorefront;

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = createClient({ url: redis.url });
    await raw.connect();
    store = await openRedisStore({ url: redis.url, keyPrefix: 'refusals:' });
    shop = await testStorefront({ store, cacheTtlMs: 0 });
  });
  afterAll(async () => {
    await raw?.close().catch(() => undefined);
    await shop?.close().catch(() => undefined);
    await redis?.stop();
  });

  const post = (customerId: string, id: string) =>
    request(shop.app).post('/churn/events').send({ events: [{ customerId, id, type: 'order', value: 10, ts: NOW }] });

  it('answers 503 naming maxmemory when Redis is out of memory, stores nothing, and counts the retry once', async () => {
    // 2 MB of data, then a limit of 1 MB: far past it, whatever the server's own memory does meanwhile.
    for (let index = 0; index < 20; index++) await raw.set(`filler:${index}`, 'x'.repeat(100_000));
    await raw.configSet({ maxmemory: '1mb', 'maxmemory-policy': 'noeviction' });
    try {
      const refused = await post('oom', 'oom-1').expect(503);
      expect(refused.body.error).toEqual({ code: 'STORE_ERROR', message: expect.stringMatching(/^events were not stored: Redis is at its maxmemory/) });
    } finally {
      for (let index = 0; index < 20; index++) await raw.del(`filler:${index}`);
      await raw.configSet({ maxmemory: '0' });
    }
    expect(await store.getCustomerState('oom')).toBeNull();
    await post('oom', 'oom-1').expect(201);
    await post('oom', 'oom-1').expect(201);
    expect((await store.getCustomerState('oom'))!.ordersTotal).toBe(1);
  });

  it('answers 503 naming a read-only replica in churnkit\'s words, and stores nothing', async () => {
    await raw.sendCommand(['REPLICAOF', '127.0.0.1', String(await freePort())]);
    try {
      const refused = await post('replica', 'replica-1').expect(503);
      expect(refused.body.error.message).toMatch(/^events were not stored: Redis is a read-only replica/);
      expect(JSON.stringify(refused.body)).not.toContain('READONLY');
    } finally {
      await raw.sendCommand(['REPLICAOF', 'NO', 'ONE']);
    }
    expect(await store.getCustomerState('replica')).toBeNull();
  });

  it('answers 503 saying it is not connected while Redis is down, and serves again by itself once it is back', async () => {
    const { port, dir } = redis;
    await raw.close();
    await redis.kill();
    const refused = await post('restart', 'restart-1').expect(503);
    expect(refused.body.error.message).toMatch(/^events were not stored: the store is not connected to Redis/);
    const page = await request(shop.app).get('/product/p1').set('x-customer-id', 'restart').expect(200);
    expect(page.body.churn).toMatchObject({ status: 'unavailable', code: 'STORE_ERROR', reason: expect.stringContaining('not connected to Redis') });

    redis = await startRedisServer({ port, dir });
    raw = createClient({ url: redis.url });
    await raw.connect();
    const deadline = Date.now() + RECONNECT_BOUND_MS;
    while ((await post('restart', 'restart-1')).status !== 201) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await store.getCustomerState('restart'))!.ordersTotal).toBe(1);
  });

  it('rejects a write in flight when the connection breaks as one that may have been carried out', async () => {
    const { port, dir } = redis;
    redis.pause();
    // Its rejection is caught at once: it comes while the server is being killed, before anything else awaits it.
    const inFlight = store.appendEvents([{ customerId: 'dropped', id: 'dropped-1', ts: NOW, type: 'order', value: 10 }]).then(() => null, (error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    raw.destroy();
    await redis.kill();
    expect(await inFlight).toMatchObject({ code: 'STORE_CONNECTION_LOST', message: expect.stringContaining('may have been carried out') });
    redis = await startRedisServer({ port, dir });
    raw = createClient({ url: redis.url });
    await raw.connect();
  });
});
