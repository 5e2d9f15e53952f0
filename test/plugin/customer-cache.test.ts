import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createBudgetRefusals } from '../../plugin/policy/budget-refusals.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { ADMIN_TOKEN, countCalls, DAY, EMPTY_CART_COUPON, issuedActions, NOW, testStorefront, viewAtOnceFromCache, type TestStorefront } from './plugin-app.js';
import { countingModel, testModel, testModelFile } from './test-model.js';

let shop: TestStorefront;
afterEach(async () => shop.close());

const lapsedOrder = (customerId: string) => ({ customerId, ts: NOW - 300 * DAY, type: 'order', value: 40 });
const score = async (customerId: string) => (await request(shop.app).post('/churn/score').send({ customerId }).expect(200)).body;

describe('the customer cache (cacheTtlMs)', () => {
  it('reads a customer once per cacheTtlMs when the store cannot tell who wrote, and again once it has passed', async () => {
    shop = await testStorefront({ cacheTtlMs: 1000 });
    (shop.store as { externalWriteMark?: unknown }).externalWriteMark = undefined; // as a Redis store has none
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const reads = countCalls(shop, 'readCustomerViewNow');
    const first = await score('c1');
    const second = await score('c1');
    expect(reads.calls).toBe(1);
    expect(second.probability).toBe(first.probability);
    shop.clock.now = NOW + 1000;
    await score('c1');
    expect(reads.calls).toBe(2);
  });

  it('keeps a customer past cacheTtlMs, up to cacheMaxAgeMs, while no other connection writes to the SQLite file', async () => {
    shop = await testStorefront({
      cacheTtlMs: 1000,
      cacheMaxAgeMs: 10_000,
      holdoutFraction: 0,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const reads = countCalls(shop, 'readCustomerViewNow');
    const histories = countCalls(shop, 'decisionsSince');
    const first = await score('c1');
    expect(first.action?.name).toBe('coupon');
    shop.clock.now = NOW + 9999;
    const again = await score('c1');
    expect(again.probability).toBe(first.probability);
    expect(again.explanation).toMatch(/skipped coupon \(cooldown/);
    // Past decisions come with the state, in the same read: never a read of their own.
    expect([reads.calls, histories.calls]).toEqual([1, 0]);
    shop.clock.now = NOW + 10_000;
    await score('c1');
    expect([reads.calls, histories.calls]).toEqual([2, 0]);
  });

  it('asks the store about other writers once per cacheTtlMs per customer, not on every request', async () => {
    shop = await testStorefront({ cacheTtlMs: 1000, cacheMaxAgeMs: 60_000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    await score('c1');
    const store = shop.store as { externalWriteMark: () => number };
    const original = store.externalWriteMark.bind(store);
    let checks = 0;
    store.externalWriteMark = () => (checks++, original());
    shop.clock.now = NOW + 1500;
    for (let view = 0; view < 3; view++) await score('c1');
    expect(checks).toBe(1);
    shop.clock.now = NOW + 2499;
    await score('c1');
    expect(checks).toBe(1);
    shop.clock.now = NOW + 2500;
    await score('c1');
    expect(checks).toBe(2);
  });

  it('asks the store about other writers once per cacheTtlMs for all its customers together, and still sees a write within cacheTtlMs', async () => {
    shop = await testStorefront({ cacheTtlMs: 1000, cacheMaxAgeMs: 60_000 });
    const customers = Array.from({ length: 20 }, (_, index) => `c${index}`);
    await shop.store.appendEvents(customers.map(lapsedOrder));
    for (const customerId of customers) await score(customerId);
    const store = shop.store as { externalWriteMark: () => number };
    const original = store.externalWriteMark.bind(store);
    let checks = 0;
    store.externalWriteMark = () => (checks++, original());
    const reads = countCalls(shop, 'readCustomerViewNow');
    shop.clock.now = NOW + 1500;
    for (const customerId of customers) await score(customerId);
    expect([checks, reads.calls]).toEqual([1, 0]);
    // Another instance writes just after the mark was observed: every customer is read anew
    // within cacheTtlMs of that observation, none later.
    const other = openSqliteStore({ dataDir: shop.dataDir });
    try {
      await other.appendEvents([{ customerId: 'c0', ts: NOW - DAY, type: 'order', value: 40 }]);
    } finally {
      await other.close();
    }
    shop.clock.now = NOW + 2499;
    for (const customerId of customers) await score(customerId);
    expect(reads.calls).toBe(0);
    shop.clock.now = NOW + 2500;
    for (const customerId of customers) await score(customerId);
    expect([checks, reads.calls]).toEqual([2, customers.length]);
  });

  it('goes back to the cacheTtlMs rule once another connection has written, and a store that cannot answer extends nothing', async () => {
    shop = await testStorefront({ cacheTtlMs: 1000, cacheMaxAgeMs: 60_000 });
    await shop.store.appendEvents([lapsedOrder('c1'), lapsedOrder('c2')]);
    const reads = countCalls(shop, 'readCustomerViewNow');
    await score('c1');
    await score('c2');
    const other = openSqliteStore({ dataDir: shop.dataDir });
    try {
      await other.appendEvents([{ customerId: 'c3', ts: NOW - DAY, type: 'order', value: 40 }]);
    } finally {
      await other.close();
    }
    shop.clock.now = NOW + 999;
    await score('c1');
    expect(reads.calls).toBe(2);
    shop.clock.now = NOW + 1000;
    await score('c1');
    expect(reads.calls).toBe(3);
    (shop.store as { externalWriteMark?: () => number }).externalWriteMark = () => {
      throw new Error('store closed');
    };
    shop.clock.now = NOW + 2000;
    await score('c1');
    expect(reads.calls).toBe(4);
  });

  it("sees this process's own events at once", async () => {
    shop = await testStorefront({ cacheTtlMs: 60_000 });
    await request(shop.app).post('/churn/events').send({ events: [lapsedOrder('c1')] }).expect(201);
    const lapsed = await score('c1');
    await request(shop.app)
      .post('/churn/events')
      .send({ events: [{ customerId: 'c1', ts: NOW - DAY, type: 'order', value: 40 }] })
      .expect(201);
    const active = await score('c1');
    expect(active.probability).toBeLessThan(lapsed.probability);
  });

  it("sees another writer's events only once cacheTtlMs has passed (the staleness bound)", async () => {
    shop = await testStorefront({ cacheTtlMs: 5000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const before = await score('c1');
    // Another storefront instance: its own connection to the same SQLite file.
    const otherInstance = openSqliteStore({ dataDir: shop.dataDir });
    try {
      await otherInstance.appendEvents([{ customerId: 'c1', ts: NOW - DAY, type: 'order', value: 40 }]);
    } finally {
      await otherInstance.close();
    }
    expect((await score('c1')).probability).toBe(before.probability);
    shop.clock.now = NOW + 5000;
    expect((await score('c1')).probability).toBeLessThan(before.probability);
  });

  it('lets two instances on one SQLite file, each with the customer cached, issue one coupon between them when both decide at once', async () => {
    const options = { cacheTtlMs: 60_000, holdoutFraction: 0, policy: { actions: [EMPTY_CART_COUPON] } };
    shop = await testStorefront(options);
    const other = await testStorefront({ ...options, store: openSqliteStore({ dataDir: shop.dataDir }) });
    try {
      await shop.store.appendEvents([lapsedOrder('c1')]);
      const served = await viewAtOnceFromCache([shop, other], 'c1');
      expect(issuedActions(served)).toEqual(['coupon', null]);
      expect(served.find((churn) => churn.status === 'ok' && churn.action === null)).toMatchObject({
        explanation: expect.stringMatching(/skipped coupon \(cooldown: issued moments ago by another request/),
      });
      expect(await shop.store.decisionsSince('c1', 0)).toHaveLength(1);
      // The refused instance dropped the history it had cached: its next view reads the coupon from the file.
      for (const instance of [shop, other]) {
        const again = await request(instance.app).post('/churn/score').send({ customerId: 'c1', record: { cart_items: 0 } }).expect(200);
        expect(again.body.explanation).toMatch(/skipped coupon \(cooldown: last issued/);
      }
    } finally {
      await other.close();
    }
  });

  it('reads the store on every request when cacheTtlMs is 0', async () => {
    shop = await testStorefront({ cacheTtlMs: 0 });
    const reads = countCalls(shop, 'readCustomerViewNow');
    await score('c1');
    await score('c1');
    expect(reads.calls).toBe(2);
  });

  it('counts a decision it just recorded for cooldown, while serving past decisions from memory', async () => {
    shop = await testStorefront({
      holdoutFraction: 0,
      cacheTtlMs: 60_000,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const reads = countCalls(shop, 'readCustomerViewNow');
    const historyReads = countCalls(shop, 'decisionsSince');
    expect((await score('c1')).action?.name).toBe('coupon');
    const again = await score('c1');
    expect(again.action).toBeNull();
    expect(again.explanation).toMatch(/skipped coupon \(cooldown/);
    // One read (state and past decisions together); the coupon it recorded was added in memory.
    expect([reads.calls, historyReads.calls]).toEqual([1, 0]);
  });

  it('does not ask the store again for a cost it already refused today', async () => {
    shop = await testStorefront({
      holdoutFraction: 0,
      dailyBudget: 5,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    const ids = ['b1', 'b2', 'b3', 'b4'];
    await shop.store.appendEvents(ids.map(lapsedOrder));
    const writes = countCalls(shop, 'recordDecision');
    const actions = [];
    for (const id of ids) actions.push(await score(id));
    expect(actions.map((body) => body.action?.name ?? null)).toEqual(['coupon', null, null, null]);
    for (const refused of actions.slice(1)) expect(refused.explanation).toMatch(/skipped coupon \(budget: 5 for 2026-11-23 would be exceeded\)/);
    // b1's write, then b2's refused write; b3 and b4 are refused without asking.
    expect(writes.calls).toBe(2);
    shop.clock.now = NOW + DAY;
    expect((await score('b2')).action?.name).toBe('coupon');
  });
});

describe('answers that decided nothing', () => {
  it('are reused for the same cached features and model, never across request fields or fresh features', async () => {
    const { model: counting, counter: predictions } = countingModel(await testModel(), 'predict');
    shop = await testStorefront({ model: counting, cacheTtlMs: 1000, cacheMaxAgeMs: 1000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const page = () => request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    const first = (await page()).body.churn;
    const second = (await page()).body.churn;
    expect(second).toEqual(first);
    expect(predictions.calls).toBe(1);
    await page().set('x-cart-items', '3');
    expect(predictions.calls).toBe(2);
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: 'c1', ts: NOW - DAY, type: 'page_view' }] }).expect(201);
    await page();
    expect(predictions.calls).toBe(3);
    shop.clock.now = NOW + 1000;
    await page();
    expect(predictions.calls).toBe(4);
  });

  it('are not served once the model was swapped: the next view is scored by the new model', async () => {
    shop = await testStorefront({ cacheTtlMs: 60_000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const page = async () => (await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200)).body.churn;
    const before = await page();
    expect((await page()).modelVersion).toBe('test-v1');
    // The swap leaves the cached features (and the answer kept with them) in place.
    await request(shop.app).put('/churn/model').set('authorization', `Bearer ${ADMIN_TOKEN}`).send(await testModelFile('test-v2', 1.5)).expect(200);
    const after = await page();
    expect(after.modelVersion).toBe('test-v2');
    expect(after.probability).not.toBe(before.probability);
  });

  it('are not served across UTC midnight: the new budget day is assessed afresh', async () => {
    const { model: counting, counter: predictions } = countingModel(await testModel(), 'predict');
    shop = await testStorefront({ model: counting, cacheTtlMs: 60_000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const page = () => request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    shop.clock.now = Date.parse('2026-11-23T23:59:58Z');
    await page();
    shop.clock.now = Date.parse('2026-11-23T23:59:59Z');
    await page();
    expect(predictions.calls).toBe(1);
    // Two seconds later, well within cacheTtlMs, but on the next accounting day.
    shop.clock.now = Date.parse('2026-11-24T00:00:01Z');
    await page();
    expect(predictions.calls).toBe(2);
  });

  it('never keep an answer computed with request fields for the views without them', async () => {
    shop = await testStorefront({ cacheTtlMs: 60_000 });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    const page = () => request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    const plain = (await page()).body.churn;
    // An empty cart (a missing field is filled with the training median, which 5 items would equal).
    const withCart = (await page().set('x-cart-items', '0')).body.churn;
    expect(withCart.probability).not.toBe(plain.probability);
    expect((await page()).body.churn).toEqual(plain);
  });
});

describe('budget refusals', () => {
  it('refuses a cost at least as large as one refused on the same day and budget, nothing else', () => {
    const refusals = createBudgetRefusals();
    expect(refusals.refuses('2026-11-23', 10, 400)).toBe(false);
    refusals.remember('2026-11-23', 10, 400);
    expect(refusals.refuses('2026-11-23', 10, 400)).toBe(true);
    expect(refusals.refuses('2026-11-23', 12, 400)).toBe(true);
    expect(refusals.refuses('2026-11-23', 4, 400)).toBe(false);
    expect(refusals.refuses('2026-11-23', 0, 400)).toBe(false);
    expect(refusals.refuses('2026-11-24', 10, 400)).toBe(false);
    expect(refusals.refuses('2026-11-23', 10, 500)).toBe(false);
    refusals.remember('2026-11-23', 4, 400);
    expect(refusals.refuses('2026-11-23', 4, 400)).toBe(true);
  });
});

describe('answers that decided nothing, from a slow decision', () => {
  it('are not kept with features read after the decision started (the customer changed meanwhile)', async () => {
    shop = await testStorefront({
      cacheTtlMs: 60_000,
      holdoutFraction: 0,
      storeTimeoutMs: 10_000,
      policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }] },
    });
    await shop.store.appendEvents([lapsedOrder('c1')]);
    // The coupon pays, so the decision asks the store to log it: the first write waits for the
    // test, and the store refuses every one (the day's budget spent), so nothing is logged.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let markAsked!: () => void;
    const asked = new Promise<void>((resolve) => (markAsked = resolve));
    let writes = 0;
    shop.store.recordDecision = async () => {
      if (writes++ === 0) {
        markAsked();
        await gate;
      }
      return false;
    };
    const page = () => request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    const slow = page().then((res) => res.body.churn);
    await asked;
    // While the slow decision waits, the customer orders again and a view with request fields reads the new features.
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: 'c1', ts: NOW - DAY, type: 'order', value: 40 }] }).expect(201);
    await page().set('x-cart-items', '5');
    release();
    const stale = await slow;
    expect(stale.action).toBeNull();
    // The next plain view is answered from the new features, not with the slow decision's answer.
    const next = (await page()).body.churn;
    expect(next.probability).toBeLessThan(stale.probability);
  });
});
