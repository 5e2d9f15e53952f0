import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { ChurnkitError } from '../../src/errors.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { testModel } from './test-model.js';

let shop: TestStorefront;
/** Set only by tests that bring their own store: the storefront removes its own directory. */
let dataDir: string | undefined;
afterEach(async () => {
  await shop.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** The real SQLite store, except that reading a customer never answers. */
function hangingStore(): ChurnStore {
  dataDir = mkdtempSync(join(tmpdir(), 'churnkit-hanging-'));
  const store = openSqliteStore({ dataDir });
  return Object.assign(Object.create(store) as ChurnStore, {
    getCustomerState: () => new Promise<never>(() => undefined),
    readCustomerView: () => new Promise<never>(() => undefined),
    // A read that waits (as over a network) has no synchronous form.
    readCustomerViewNow: undefined,
    close: () => store.close(),
  });
}

async function failOpenCount(code: string): Promise<number> {
  const text = (await request(shop.app).get('/churn/metrics')).text;
  const match = new RegExp(`churnkit_fail_open_total\\{reason="${code}"\\} (\\d+)`).exec(text);
  return match ? Number(match[1]) : 0;
}

async function lateDecisionCount(): Promise<number> {
  const text = (await request(shop.app).get('/churn/metrics')).text;
  return Number(/^churnkit_late_decisions_total (\d+)$/m.exec(text)?.[1]);
}

describe('fail-open', () => {
  it('serves the page with req.churn unavailable when the store does not answer within the budget', async () => {
    shop = await testStorefront({ store: hangingStore(), storeTimeoutMs: 20 });
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(response.body.product).toBe('p1');
    expect(response.body.churn).toMatchObject({ status: 'unavailable', code: 'STORE_TIMEOUT', customerId: 'c1' });
    expect(response.body.churn.reason).toContain('within 20 ms');
    expect(await failOpenCount('STORE_TIMEOUT')).toBe(1);
  });

  it('answers POST /score with the unavailable status rather than an error', async () => {
    shop = await testStorefront({ store: hangingStore(), storeTimeoutMs: 20 });
    const response = await request(shop.app).post('/churn/score').send({ customerId: 'c1' }).expect(200);
    expect(response.body).toMatchObject({ status: 'unavailable', code: 'STORE_TIMEOUT' });
  });

  it('fails open when the model throws', async () => {
    const model = await testModel();
    const broken = Object.assign(Object.create(model), {
      predict: () => {
        throw new Error('kernel trap');
      },
    });
    const reported: unknown[] = [];
    shop = await testStorefront({ model: broken, onError: (error, details) => reported.push([error, details]) });
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').set('x-cart-items', '2').expect(200);
    expect(response.body.churn).toMatchObject({ status: 'unavailable', code: 'SCORING_ERROR', reason: 'the model could not score this customer' });
    expect(reported).toEqual([[new Error('kernel trap'), { code: 'SCORING_ERROR', customerId: 'c1' }]]);
    expect(await failOpenCount('SCORING_ERROR')).toBe(1);
  });

  it('fails open, never serving NaN, when the model returns something that is not a probability', async () => {
    const model = await testModel();
    shop = await testStorefront({ model: Object.assign(Object.create(model), { predict: () => Number.NaN }) });
    const response = await request(shop.app).post('/churn/score').send({ record: { recency_days: 3 } }).expect(200);
    expect(response.body).toMatchObject({ status: 'unavailable', code: 'SCORING_ERROR' });
    expect(response.body.reason).toMatch(/expected a probability/);
  });

  it('names a store whose synchronous read throws STORE_ERROR, not a scoring error', async () => {
    shop = await testStorefront();
    shop.store.readCustomerViewNow = () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed');
    };
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(response.body.churn).toMatchObject({ status: 'unavailable', code: 'STORE_ERROR', reason: 'the store failed', customerId: 'c1' });
    expect(await failOpenCount('STORE_ERROR')).toBe(1);
  });

  it('names a decision write that does not finish within the budget STORE_TIMEOUT', async () => {
    shop = await testStorefront({
      storeTimeoutMs: 20,
      holdoutFraction: 0,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    await shop.store.appendEvents([{ customerId: 'c1', ts: NOW - 300 * DAY, type: 'order', value: 40 }]);
    // The read answers at once (SQLite); only the write of the coupon decision hangs.
    shop.store.recordDecision = () => new Promise<never>(() => undefined);
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(response.body.churn).toMatchObject({ status: 'unavailable', code: 'STORE_TIMEOUT', customerId: 'c1' });
    expect(response.body.churn.reason).toContain('within 20 ms');
    expect(await failOpenCount('STORE_TIMEOUT')).toBe(1);
  });

  it('counts a decision the store logs after the page stopped waiting, and only those, in churnkit_late_decisions_total', async () => {
    shop = await testStorefront({
      storeTimeoutMs: 20,
      holdoutFraction: 0,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    const lapsed = (customerId: string) => ({ customerId, ts: NOW - 300 * DAY, type: 'order' as const, value: 40 });
    await shop.store.appendEvents([lapsed('c1'), lapsed('c2')]);
    const record = shop.store.recordDecision.bind(shop.store);
    let land!: () => void;
    const landing = new Promise<void>((resolve) => (land = resolve));
    let logged: ReturnType<typeof record> | undefined;
    shop.store.recordDecision = (decision, dailyBudget, limits) => (logged = landing.then(() => record(decision, dailyBudget, limits)));
    const late = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(late.body.churn).toMatchObject({ status: 'unavailable', code: 'STORE_TIMEOUT' });
    expect(await lateDecisionCount()).toBe(0);
    land();
    expect(await logged).toBe(true);
    expect(await lateDecisionCount()).toBe(1);
    // A write that lands within the budget is served, and is not late.
    shop.store.recordDecision = record;
    const onTime = await request(shop.app).get('/product/p1').set('x-customer-id', 'c2').expect(200);
    expect(onTime.body.churn).toMatchObject({ status: 'ok', action: { name: 'coupon' } });
    expect(await lateDecisionCount()).toBe(1);
  });

  it('reports the store\'s failures on /healthz beside an ok status, the last by the store\'s own code', async () => {
    shop = await testStorefront({ store: hangingStore(), storeTimeoutMs: 20 });
    const health = async () => (await request(shop.app).get('/churn/healthz').expect(200)).body;
    expect((await health()).store).toEqual({ failures: 0, lastFailure: null });
    await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(await health()).toMatchObject({ status: 'ok', store: { failures: 1, lastFailure: { code: 'STORE_TIMEOUT', at: new Date(NOW).toISOString() } } });
    shop.clock.now = NOW + 1_000;
    shop.store.appendEvents = () => Promise.reject(new ChurnkitError('STORE_REFUSED', 'Redis is at its maxmemory and refuses writes; this command was not carried out'));
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: 'c1', type: 'order' }] }).expect(503);
    expect((await health()).store).toEqual({ failures: 2, lastFailure: { code: 'STORE_REFUSED', at: new Date(NOW + 1_000).toISOString() } });
  });

  it('fails open when the identify hook throws', async () => {
    shop = await testStorefront({
      identify: () => {
        throw new Error('no session');
      },
    });
    const response = await request(shop.app).get('/product/p1').expect(200);
    expect(response.body.churn).toMatchObject({ status: 'unavailable', code: 'HOOK_ERROR' });
  });
});
