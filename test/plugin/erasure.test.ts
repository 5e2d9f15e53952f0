/**
 * Issue 11, privacy: erasing a customer for a deletion request is a tested admin call.
 * `POST /churn/customers/erase` removes their events, state, decisions and outcomes from the
 * store and from the plugin's customer cache, and answers 501 when the store cannot erase.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../plugin/store/memory-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { ADMIN_TOKEN, DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';

let shop: TestStorefront;
afterEach(async () => shop.close());

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const policy = { actions: [{ name: 'coupon', cost: 5, successRate: 0.3 }] };

/** A lapsed customer with a logged coupon and an outcome; returns their score. */
async function known(customerId: string): Promise<number> {
  await request(shop.app).post('/churn/events').send({ events: [{ customerId, ts: NOW - 300 * DAY, type: 'order', value: 40 }] }).expect(201);
  const score = (await request(shop.app).post('/churn/score').send({ customerId }).expect(200)).body;
  expect(score.action?.name).toBe('coupon');
  await request(shop.app).post('/churn/outcomes').send({ customerId, retained: true }).expect(201);
  return score.probability;
}

describe('POST /churn/customers/erase', () => {
  it.each([
    ['the default SQLite store', undefined],
    ['the memory store', memoryStore],
  ])('erases the customer everywhere the plugin keeps them, and nobody else (%s)', async (_name, store) => {
    shop = await testStorefront({ ...(store ? { store: store() } : {}), holdoutFraction: 0, policy });
    await known('gone');
    const keptScore = await known('kept');
    await request(shop.app).post('/churn/customers/erase').set(auth).send({ customerId: 'gone' }).expect(200, { erased: 'gone', removed: { events: 1, state: true, decisions: 1, outcomes: 1 } });
    expect(await shop.store.getCustomerState('gone')).toBeNull();
    expect(await shop.store.decisionsSince('gone', 0)).toEqual([]);
    // The plugin's cache forgot them too: they are a stranger now (the prior), not their cached features.
    const after = (await request(shop.app).post('/churn/score').send({ customerId: 'gone' }).expect(200)).body;
    expect(after.probability).toBe(0.25);
    const report = (await request(shop.app).get('/churn/report').expect(200)).body;
    expect(report.actions[0]).toMatchObject({ action: 'coupon', treatment: { customers: 1 } });
    const kept = (await request(shop.app).post('/churn/score').send({ customerId: 'kept', record: {} }).expect(200)).body;
    expect(Object.is(kept.probability, keptScore)).toBe(true);
  });

  it('answers 501 naming why when the store cannot erase, and erases nothing', async () => {
    const store: ChurnStore = Object.assign(Object.create(memoryStore()) as ChurnStore, { eraseCustomer: undefined });
    shop = await testStorefront({ store, holdoutFraction: 0, policy });
    await known('stays');
    const answer = await request(shop.app).post('/churn/customers/erase').set(auth).send({ customerId: 'stays' }).expect(501);
    expect(answer.body.error).toEqual({ code: 'ERASURE_UNSUPPORTED', message: expect.stringMatching(/^this store cannot erase a customer \(it has no eraseCustomer method\)/) });
    expect(await shop.store.getCustomerState('stays')).not.toBeNull();
  });

  it('is an admin call: 401 without the token, 403 when none is configured; the body is checked', async () => {
    shop = await testStorefront({ store: memoryStore() });
    await request(shop.app).post('/churn/customers/erase').send({ customerId: 'safe' }).expect(401);
    await request(shop.app).post('/churn/customers/erase').set({ authorization: 'Bearer not-the-admin-token-at-all' }).send({ customerId: 'safe' }).expect(401);
    const missing = await request(shop.app).post('/churn/customers/erase').set(auth).send({ customer: 'safe' }).expect(400);
    expect(missing.body.error.field).toBe('customerId');
    const closed = await testStorefront({ store: memoryStore(), adminToken: undefined });
    try {
      const answer = await request(closed.app).post('/churn/customers/erase').set(auth).send({ customerId: 'safe' }).expect(403);
      expect(answer.body.error.code).toBe('ADMIN_DISABLED');
    } finally {
      await closed.close();
    }
  });
});
