import express from 'express';
import request from 'supertest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn, type ChurnPlugin } from '../../../plugin/index.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { writeQuickModel } from '../demo/quick-model.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

const DAY_MS = 86_400_000;
const available = hasRedisServer();
if (!available) console.warn('Redis plugin tests skipped: redis-server is not on PATH (CI installs it with apt).');

describe.skipIf(!available)('two storefront instances sharing one Redis store', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-redis-plugin-'));
  let redis: RunningRedis;
  const stores: ChurnStore[] = [];
  const plugins: ChurnPlugin[] = [];
  let first: express.Express;
  let second: express.Express;

  async function storefront(modelPath: string, url: string): Promise<express.Express> {
    const store = await openRedisStore({ url, keyPrefix: 'shop:' });
    stores.push(store);
    const plugin = churn({
      model: modelPath,
      store,
      identify: (req) => req.get('x-customer-id'),
      // One action that always pays and a budget for exactly one of it: whichever
      // instance issues it first, the other must see the day's budget spent.
      policy: { actions: [{ name: 'coupon', cost: 10, successRate: 1 }] },
      customerValue: 1000,
      holdoutFraction: 0,
      dailyBudget: 10,
      // Loopback Redis on a loaded CI machine: this test is about shared state, not latency.
      storeTimeoutMs: 2000,
    });
    await plugin.ready();
    plugins.push(plugin);
    const app = express();
    app.use('/churn', plugin.router());
    return app;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    const modelPath = await writeQuickModel(workDir);
    first = await storefront(modelPath, redis.url);
    second = await storefront(modelPath, redis.url);
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('scores on one instance the events posted to the other, and spends one daily budget across both', async () => {
    const prior = await request(second).post('/churn/score').send({}).expect(200);
    const lastOrder = Date.now() - 90 * DAY_MS;
    const orders = (customerId: string) =>
      Array.from({ length: 6 }, (_, i) => ({ customerId, ts: lastOrder - i * 10 * DAY_MS, type: 'order', value: 80 }));
    await request(first).post('/churn/events').send({ events: [...orders('lapsed'), ...orders('twin')] }).expect(201);

    const onSecond = await request(second).post('/churn/score').send({ customerId: 'lapsed' }).expect(200);
    expect(onSecond.body.status).toBe('ok');
    expect(onSecond.body.reasons.length).toBeGreaterThan(0);
    expect(onSecond.body.probability).not.toBe(prior.body.probability);
    expect(onSecond.body.action?.name).toBe('coupon');

    // Same state on the other instance; the coupon it would issue to an identical customer
    // no longer fits the day's budget, which the second instance just spent.
    const twinOnFirst = await request(first).post('/churn/score').send({ customerId: 'twin' }).expect(200);
    expect(twinOnFirst.body.probability).toBeCloseTo(onSecond.body.probability, 12);
    expect(twinOnFirst.body.action).toBeNull();
    expect(twinOnFirst.body.explanation).toMatch(/budget/);
    expect(await stores[0]!.spent(new Date().toISOString().slice(0, 10))).toBe(10);
  });
});

describe.skipIf(!available)('a storefront whose Redis goes away', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-redis-down-'));
  let redis: RunningRedis;
  let store: ChurnStore;
  let app: express.Express;

  beforeAll(async () => {
    redis = await startRedisServer();
    store = await openRedisStore({ url: redis.url, keyPrefix: 'down:' });
    const plugin = churn({ model: await writeQuickModel(workDir), store, identify: (req) => req.get('x-customer-id'), storeTimeoutMs: 200 });
    await plugin.ready();
    app = express();
    app.use(plugin);
    app.use('/churn', plugin.router());
    app.get('/product', async (req, res) => {
      const assessment = await req.churn;
      res.json({ page: 'product', churn: assessment.status, code: assessment.status === 'unavailable' ? assessment.code : null });
    });
  });
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await redis?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('still serves the shopper\'s page, with req.churn unavailable and the reason', async () => {
    await request(app).get('/product').set('x-customer-id', 'c1').expect(200, { page: 'product', churn: 'ok', code: null });
    await redis.stop();
    const response = await request(app).get('/product').set('x-customer-id', 'c1').expect(200);
    expect(response.body.page).toBe('product');
    expect(response.body.churn).toBe('unavailable');
    expect(response.body.code).toMatch(/^STORE_(ERROR|TIMEOUT)$/);
    // Events cannot be made durable: the caller is told so instead of getting a false 2xx.
    await request(app).post('/churn/events').send({ events: [{ customerId: 'c1', type: 'page_view' }] }).expect(503);
  });
});
