import express from 'express';
import request from 'supertest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn } from '../../../plugin/express/index.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { writeQuickModel } from '../demo/quick-model.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

const available = hasRedisServer();
if (!available) console.warn('Redis fail-open test skipped: redis-server is not on PATH (CI installs it with apt).');

// Two instances sharing one Redis through the plugin: test/plugin/shared-redis.test.ts.

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
    // c1 was read a moment ago: the plugin's customer cache (cacheTtlMs) still serves it.
    await request(app).get('/product').set('x-customer-id', 'c1').expect(200, { page: 'product', churn: 'ok', code: null });
    const response = await request(app).get('/product').set('x-customer-id', 'c2').expect(200);
    expect(response.body.page).toBe('product');
    expect(response.body.churn).toBe('unavailable');
    expect(response.body.code).toMatch(/^STORE_(ERROR|TIMEOUT)$/);
    // Events cannot be made durable: the caller is told so instead of getting a false 2xx.
    await request(app).post('/churn/events').send({ events: [{ customerId: 'c2', type: 'page_view' }] }).expect(503);
  });
});
