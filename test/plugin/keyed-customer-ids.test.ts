/**
 * Issue 11, privacy: customer ids stored as keyed hashes when the operator asks
 * (`customerIds: { hmacKey }`). Checked the way it matters: the bytes of the real SQLite file
 * (and its write-ahead log) hold no raw customer id, only HMAC-SHA256(key, id); scoring is
 * unchanged; instances with the same key agree, another key sees nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { churnHandler } from '../../plugin/fetch/index.js';
import { customerKeyer } from '../../plugin/store/customer-keys.js';
import { keyValueStore } from '../../plugin/store/key-value/key-value-store.js';
import { keyCustomerIds } from '../../plugin/store/keyed-customer-ids.js';
import { mapBackend, memoryStore } from '../../plugin/store/memory-store.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import type { Decision } from '../../plugin/store/types.js';
import { OptionsError } from '../../src/errors.js';
import { ADMIN_TOKEN, DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel } from './test-model.js';

const KEY = 'k'.repeat(16) + '-a-secret-hmac-key-of-32+';
const EMAIL = 'ada.lovelace@example.com';
/** The key the Node stores' own `customerIdKey` option writes: the plugin option writes the same. */
const hashed = (id: string, key = KEY) => customerKeyer(key)(id);
const policy = { actions: [{ name: 'coupon', cost: 5, successRate: 0.3 }] };

const shops: TestStorefront[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
});

async function storefront(overrides: Parameters<typeof testStorefront>[0]) {
  // Hashing goes through Web Crypto's thread pool: a busy machine must not fail the reads open.
  const shop = await testStorefront({ holdoutFraction: 0, policy, storeTimeoutMs: 2000, ...overrides });
  shops.push(shop);
  return shop;
}

/** Events, a scored decision and an outcome for `customerId`; the score. */
async function useCustomer(shop: TestStorefront, customerId: string) {
  await request(shop.app).post('/churn/events').send({ events: [{ customerId, ts: NOW - 200 * DAY, type: 'order', value: 40, category: 'shoes' }] }).expect(201);
  const score = (await request(shop.app).post('/churn/score').send({ customerId }).expect(200)).body;
  await request(shop.app).post('/churn/outcomes').send({ customerId, retained: true }).expect(201);
  return score;
}

function filesOf(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).map((file) => readFileSync(join(dataDir, file))));
}

describe('customerIds: { hmacKey }', () => {
  it('keeps raw customer ids out of the SQLite file and its log, and scores exactly as without it', async () => {
    const keyed = await storefront({ customerIds: { hmacKey: KEY } });
    const plain = await storefront({});
    const keyedScore = await useCustomer(keyed, EMAIL);
    const plainScore = await useCustomer(plain, EMAIL);
    expect(keyedScore).toEqual(plainScore);
    const bytes = filesOf(keyed.dataDir);
    expect(bytes.includes(EMAIL)).toBe(false);
    expect(bytes.includes(hashed(EMAIL))).toBe(true);
    // The same plugin without the option does store the raw id: the check above can fail.
    expect(filesOf(plain.dataDir).includes(EMAIL)).toBe(true);
    // The plugin still answers by the customer's own id, and erases by it.
    expect((await request(keyed.app).post('/churn/score').send({ customerId: EMAIL })).body.probability).toBe(keyedScore.probability);
  });

  it('lets instances with the same key share the store, and shows another key nothing', async () => {
    const data = new Map<string, string>();
    const first = await storefront({ store: keyValueStore(mapBackend(data)), customerIds: { hmacKey: KEY } });
    const score = await useCustomer(first, EMAIL);
    expect([...data.keys()].some((key) => key.includes(EMAIL))).toBe(false);
    expect([...data.keys()]).toContain(`customer:${hashed(EMAIL)}`);
    const second = await storefront({ store: keyValueStore(mapBackend(data)), customerIds: { hmacKey: KEY } });
    expect((await request(second.app).post('/churn/score').send({ customerId: EMAIL })).body.probability).toBe(score.probability);
    const otherKey = await storefront({ store: keyValueStore(mapBackend(data)), customerIds: { hmacKey: `${KEY}-rotated` } });
    expect((await request(otherKey.app).post('/churn/score').send({ customerId: EMAIL })).body.probability).toBe(0.25);
  });

  it("writes the keys of the SQLite store's own customerIdKey: a store keyed either way reads the other's customers", async () => {
    const keyed = await storefront({ customerIds: { hmacKey: KEY } });
    await useCustomer(keyed, EMAIL);
    const direct = openSqliteStore({ dataDir: keyed.dataDir, customerIdKey: KEY });
    try {
      expect(await direct.getCustomerState(EMAIL)).toEqual(await keyed.store.getCustomerState(hashed(EMAIL)));
      expect((await direct.getCustomerState(EMAIL))?.ordersTotal).toBe(1);
    } finally {
      await direct.close();
    }
  });

  it('runs a challenger on the SQLite store, its scores logged under the keyed id and compared from the keyed event log', async () => {
    const shop = await storefront({ customerIds: { hmacKey: KEY }, challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    await useCustomer(shop, EMAIL);
    const report = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(report.comparisons[0]).toMatchObject({ scoredRequests: 1 });
    const logged = [];
    for await (const entry of shop.store.challengerLog!()) logged.push(entry.score.customerId);
    expect(logged).toEqual([hashed(EMAIL)]);
    expect(filesOf(shop.dataDir).includes(EMAIL)).toBe(false);
  });

  it('erases a keyed customer by their own id', async () => {
    const data = new Map<string, string>();
    const shop = await storefront({ store: keyValueStore(mapBackend(data)), customerIds: { hmacKey: KEY } });
    await useCustomer(shop, EMAIL);
    await request(shop.app).post('/churn/customers/erase').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send({ customerId: EMAIL }).expect(200);
    expect([...data.keys()].filter((key) => key.includes(hashed(EMAIL)))).toEqual([]);
  });

  it('works at the edge too', async () => {
    const data = new Map<string, string>();
    const handler = churnHandler({ model: await testModel(), modelFit: TEST_MODEL_FIT, store: keyValueStore(mapBackend(data)), customerIds: { hmacKey: KEY }, clock: () => NOW });
    const response = await handler.fetch(new Request('http://shop.test/churn/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: [{ customerId: EMAIL, type: 'order', ts: NOW - DAY }] }) }));
    expect(response.status).toBe(201);
    expect([...data.keys()]).toEqual([`customer:${hashed(EMAIL)}`]);
  });

  it("passes the action's cooldown and cap on with the decision, so the store checks them under the keyed id", async () => {
    const store = keyCustomerIds(memoryStore(), KEY);
    const coupon = (ts: number): Decision => ({
      customerId: EMAIL, ts, day: '2026-11-23', modelVersion: 'v', probability: 0.8, customerValue: 100, group: 'treatment',
      action: 'coupon', cost: 5, expectedValues: {}, skipped: {}, explanation: '',
    });
    const limits = { cooldownAfter: NOW - DAY, capSince: NOW - 30 * DAY, maxPerCustomer: Infinity };
    expect(await store.recordDecision(coupon(NOW - 60_000), 100, limits)).toBe(true);
    expect(await store.recordDecision(coupon(NOW), 100, limits)).toBe('cooldown');
    expect(await store.decisionsSince(EMAIL, 0)).toHaveLength(1);
  });

  it('refuses an id holding half of a surrogate pair before hashing it (its UTF-8, with U+FFFD in its place, would hash like another id)', async () => {
    const data = new Map<string, string>();
    const store = keyCustomerIds(keyValueStore(mapBackend(data)), KEY);
    await expect(store.appendEvents([{ customerId: 'x\ud800', type: 'order', ts: NOW - DAY }])).rejects.toMatchObject({ code: 'STORE_CUSTOMER_ID' });
    await expect(store.getCustomerState('x\udc00')).rejects.toMatchObject({ code: 'STORE_CUSTOMER_ID' });
    expect(data.size).toBe(0);
  });

  it('refuses a short key at construction', async () => {
    const options = { model: await testModel(), identify: () => null, store: memoryStore(), customerIds: { hmacKey: 'short' } };
    expect(() => churn(options)).toThrow(OptionsError);
    expect(() => churn(options)).toThrow('churn() option "customerIds.hmacKey": expected a key of at least 32 characters');
  });
});

