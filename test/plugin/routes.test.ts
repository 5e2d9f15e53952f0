import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelChecksum } from '../../src/model/model-file.js';
import type { ModelFileV1 } from '../../src/model/model-file-schema.js';
import { DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { testModelFile } from './test-model.js';

/** `file` with its checksum recomputed after an edit. */
async function resigned(file: ModelFileV1): Promise<ModelFileV1> {
  return { ...file, checksum: { ...file.checksum, value: await modelChecksum(file) } };
}

let shop: TestStorefront;
afterEach(async () => shop.close());

const policy = {
  actions: [
    { name: 'coupon', cost: 5, successRate: 0.3 },
    { name: 'care', cost: 2, successRate: 0.1 },
  ],
};

/** A customer who ordered once long ago: stale, so risky. */
async function seedLapsedCustomer(id: string) {
  await request(shop.app)
    .post('/churn/events')
    .send({ events: [{ customerId: id, ts: NOW - 300 * DAY, type: 'order', value: 40 }] })
    .expect(201);
}

describe('POST /churn/score', () => {
  beforeEach(async () => {
    shop = await testStorefront({ holdoutFraction: 0, policy, customerValue: 100 });
  });

  it('gives the population prior when neither customer nor record is given', async () => {
    const response = await request(shop.app).post('/churn/score').send({}).expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      customerId: null,
      probability: 0.25,
      band: 'medium', // the test model's threshold is 0.5: medium from 0.25
      reasons: [],
      action: null,
      group: null,
      modelVersion: 'test-v1',
    });
  });

  it('treats an empty record as nothing known', async () => {
    const response = await request(shop.app).post('/churn/score').send({ record: {} }).expect(200);
    expect(response.body).toMatchObject({ status: 'ok', probability: 0.25, reasons: [] });
  });

  it('gives an unknown customer the population prior, not an error', async () => {
    const response = await request(shop.app).post('/churn/score').send({ customerId: 'nobody' }).expect(200);
    expect(response.body).toMatchObject({ status: 'ok', customerId: 'nobody', probability: 0.25, group: 'treatment' });
  });

  it("scores a known customer's stored features, with the top 3 reasons and the chosen action", async () => {
    await seedLapsedCustomer('c1');
    const response = await request(shop.app).post('/churn/score').send({ customerId: 'c1' }).expect(200);
    const body = response.body;
    expect(body.probability).toBeGreaterThan(0.6);
    expect(body.band).toBe('high');
    expect(body.percentile).toBeGreaterThan(60);
    expect(body.reasons).toHaveLength(3);
    expect(body.reasons[0]).toMatchObject({ feature: 'recency_days', value: 300, text: '300 days without an order' });
    expect(body.action).toMatchObject({ name: 'coupon', cost: 5 });
    expect(body.action.expectedValue).toBeCloseTo(body.probability * 100 * 0.3 - 5, 10);
    expect(body.explanation).toMatch(/^coupon: EV \d+\.\d\d > care \d+\.\d\d > none$/);
  });

  it("writes each reason's value in the model file's own words, the raw feature and value kept beside them", async () => {
    const file = await testModelFile();
    const display = { cart_items: { label: 'items in the cart', cases: [{ atMost: 0, text: 'empty cart' }], text: '{n} items in the cart' }, device: { label: 'device', text: 'shops on the {n}' } };
    const worded = { ...file, metadata: { ...file.metadata, options: { display } } };
    await shop.close();
    shop = await testStorefront({ holdoutFraction: 0, policy, customerValue: 100, model: await resigned(worded) });
    const { body } = await request(shop.app).post('/churn/score').send({ record: { recency_days: 390, cart_items: 9, device: 'app' } }).expect(200);
    const byFeature = Object.fromEntries(body.reasons.map((reason: { feature: string; text: string }) => [reason.feature, reason]));
    expect(byFeature.cart_items).toMatchObject({ value: 9, text: '9 items in the cart' });
    expect(byFeature.recency_days).toMatchObject({ value: 390, text: '390 days without an order' });
    const { body: emptyCart } = await request(shop.app).post('/churn/score').send({ record: { recency_days: 390, cart_items: 0, device: 'app' } }).expect(200);
    expect(emptyCart.reasons.map((reason: { text: string }) => reason.text)).toContain('empty cart');
  });

  it('lets the record win over stored features', async () => {
    await seedLapsedCustomer('c1');
    const stored = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    const fresh = (await request(shop.app).post('/churn/score').send({ customerId: 'c1', record: { recency_days: 1 } })).body;
    expect(fresh.probability).toBeLessThan(stored.probability);
    expect(fresh.reasons.find((reason: { feature: string }) => reason.feature === 'recency_days')?.value ?? 1).toBe(1);
  });
});

describe('POST /churn/score/batch', () => {
  beforeEach(async () => {
    shop = await testStorefront({ holdoutFraction: 0, batchLimit: 3 });
  });

  it('scores every item with one model version', async () => {
    await seedLapsedCustomer('c1');
    const response = await request(shop.app)
      .post('/churn/score/batch')
      .send({ items: [{ customerId: 'c1' }, { record: { recency_days: 5, log_orders_total: 3 } }, {}] })
      .expect(200);
    expect(response.body.modelVersion).toBe('test-v1');
    expect(response.body.results).toHaveLength(3);
    expect(response.body.results[0].probability).toBeGreaterThan(response.body.results[1].probability);
    expect(response.body.results[2].probability).toBe(0.25);
  });

  it('refuses more items than the configured limit, naming the field', async () => {
    const response = await request(shop.app).post('/churn/score/batch').send({ items: [{}, {}, {}, {}] }).expect(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_BODY', field: 'items' });
    expect(response.body.error.message).toContain('at most 3');
  });
});

describe('POST /churn/events', () => {
  beforeEach(async () => {
    shop = await testStorefront({ holdoutFraction: 0 });
  });

  it("updates the customer's online features", async () => {
    await request(shop.app)
      .post('/churn/events')
      .send({
        events: [
          { customerId: 'c2', ts: NOW - 10 * DAY, type: 'order', value: 30 },
          { customerId: 'c2', ts: '2026-11-20T10:00:00Z', type: 'page_view' },
          { customerId: 'c2', type: 'add_to_cart', quantity: 2 },
        ],
      })
      .expect(201, { accepted: 3 });
    const state = await shop.store.getCustomerState('c2');
    expect(state).toMatchObject({ ordersTotal: 1, eventsTotal: 3, addToCartTotal: 1, lastEventMs: NOW });
  });

  it('takes UUIDv7 event ids, as docs/plugin.md shows them sent, and counts a retried batch once', async () => {
    const events = [
      { customerId: 'c3', id: uuidv7(), type: 'add_to_cart', category: 'books' },
      { customerId: 'c3', id: uuidv7(), type: 'page_view', category: 'books' },
    ];
    await request(shop.app).post('/churn/events').send({ events }).expect(201, { accepted: 2 });
    await request(shop.app).post('/churn/events').send({ events }).expect(201, { accepted: 2 });
    expect(await shop.store.getCustomerState('c3')).toMatchObject({ eventsTotal: 2, addToCartTotal: 1 });
  });
});

describe('POST /churn/outcomes and GET /churn/report', () => {
  beforeEach(async () => {
    shop = await testStorefront({ holdoutFraction: 0.5, holdoutSalt: 'report-test', policy, dailyBudget: 1000 });
  });

  it('reports retention per action in treatment and hold-out, actions issued and budget spent', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    await request(shop.app)
      .post('/churn/events')
      .send({ events: ids.map((id) => ({ customerId: id, ts: NOW - 300 * DAY, type: 'order', value: 40 })) })
      .expect(201);
    const groups = new Map<string, string>();
    for (const id of ids) {
      const body = (await request(shop.app).post('/churn/score').send({ customerId: id }).expect(200)).body;
      groups.set(id, body.group);
      // Treated customers are retained, held-out ones are not: the lift must be +1.
      await request(shop.app)
        .post('/churn/outcomes')
        .send({ customerId: id, retained: body.group === 'treatment' })
        .expect(201);
    }
    const treated = [...groups.values()].filter((group) => group === 'treatment').length;
    expect(treated).toBeGreaterThan(5);
    expect(treated).toBeLessThan(35);
    const report = (await request(shop.app).get('/churn/report').expect(200)).body;
    const coupon = report.actions.find((row: { action: string }) => row.action === 'coupon');
    expect(coupon).toMatchObject({
      treatment: { customers: treated, retained: treated, retention: 1 },
      holdout: { customers: 40 - treated, retained: 0, retention: 0 },
      lift: 1,
      issued: treated,
      heldOut: 40 - treated,
      cost: treated * 5,
    });
    expect(coupon.confidenceInterval.low).toBeGreaterThan(0.5);
    expect(report.budget).toMatchObject({ day: '2026-11-23', spentToday: treated * 5, dailyBudget: 1000, spentTotal: treated * 5 });
    expect(report.issued).toBe(treated);
  });

  it('rejects an outcome without "retained"', async () => {
    const response = await request(shop.app).post('/churn/outcomes').send({ customerId: 'x' }).expect(400);
    expect(response.body.error.field).toBe('retained');
  });
});

describe('GET /churn/model, /churn/healthz, /churn/metrics', () => {
  beforeEach(async () => {
    shop = await testStorefront({ holdoutFraction: 0 });
  });

  it('describes the serving model', async () => {
    const response = await request(shop.app).get('/churn/model').expect(200);
    expect(response.body).toEqual({
      version: 'test-v1',
      engine: 'js',
      features: [
        { name: 'recency_days', type: 'numeric' },
        { name: 'log_orders_total', type: 'numeric' },
        { name: 'log_refunds_total', type: 'numeric' },
        { name: 'cart_items', type: 'numeric' },
        { name: 'device', type: 'categorical' },
      ],
      metrics: { rocAuc: 0.81 },
      threshold: 0.5,
    });
  });

  it('is healthy while a model serves, naming the engine that runs it and how much of its input traffic supplies', async () => {
    await request(shop.app)
      .get('/churn/healthz')
      .expect(200, {
        status: 'ok',
        modelVersion: 'test-v1',
        engine: 'js',
        inputs: { count: 5, fromStore: 3, scored: 0, suppliedShare: null, leastSupplied: [] },
        store: { failures: 0, lastFailure: null },
      });
    await seedLapsedCustomer('h1');
    // Stored features give 3 inputs; the record adds cart_items; nothing gives device.
    await request(shop.app).post('/churn/score').send({ customerId: 'h1', record: { cart_items: 2 } }).expect(200);
    const inputs = (await request(shop.app).get('/churn/healthz').expect(200)).body.inputs;
    expect(inputs).toMatchObject({ count: 5, fromStore: 3, scored: 1, suppliedShare: 0.8 });
    expect(inputs.leastSupplied[0]).toEqual({ name: 'device', share: 0 });
  });

  it('exposes request counts, latency, scores, groups and fail-open counts in Prometheus format', async () => {
    await request(shop.app).post('/churn/score').send({ customerId: 'm1' }).expect(200);
    await request(shop.app).post('/churn/score').send({ customerId: 42 }).expect(400);
    const response = await request(shop.app).get('/churn/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.text;
    expect(text).toContain('churnkit_http_requests_total{route="POST /score",status="200"} 1');
    expect(text).toContain('churnkit_http_requests_total{route="POST /score",status="400"} 1');
    expect(text).toMatch(/churnkit_http_request_duration_seconds_count\{route="POST \/score"\} 2/);
    expect(text).toContain('churnkit_churn_probability_count 1');
    expect(text).toContain('churnkit_engine_info{kind="js"} 1');
    expect(text).toContain('churnkit_decisions_by_group_total{group="treatment"} 1');
    expect(text).toContain('# TYPE churnkit_fail_open_total counter');
    expect(text).toContain('# TYPE churnkit_actions_total counter');
  });
});
