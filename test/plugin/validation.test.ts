import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnsafeKey } from '../../plugin/validation/unsafe-keys.js';
import { testStorefront, type TestStorefront } from './plugin-app.js';

let shop: TestStorefront;
beforeAll(async () => {
  shop = await testStorefront({ holdoutFraction: 0, bodyLimit: '2kb', batchLimit: 10 });
});
afterAll(async () => shop.close());

async function expectBadRequest(path: string, body: unknown, field: string, message?: RegExp) {
  const response = await request(shop.app).post(path).set('content-type', 'application/json').send(body as object).expect(400);
  expect(response.body.error.field).toBe(field);
  expect(typeof response.body.error.code).toBe('string');
  if (message) expect(response.body.error.message).toMatch(message);
  return response.body.error;
}

describe('bad bodies answer 400 naming the field', () => {
  it.each([
    ['/churn/score', { customerId: 42 }, 'customerId', /expected string/],
    ['/churn/score', { customerId: '' }, 'customerId', /non-empty/],
    ['/churn/score', { customer: 'typo' }, '(body)', /customer/],
    ['/churn/score', { record: { Tenure: 1 } }, 'record.Tenure', /not a feature of model test-v1/],
    ['/churn/score', { record: { recency_days: 'NaN' } }, 'record.recency_days', /finite number/],
    ['/churn/score', { record: { recency_days: 'Infinity' } }, 'record.recency_days', /finite number/],
    ['/churn/score', { record: { recency_days: '12' } }, 'record.recency_days', /finite number/],
    ['/churn/score', { record: { device: { nested: true } } }, 'record.device', /expected a string, a finite number/],
    ['/churn/score/batch', { items: 'all' }, 'items', /expected array/],
    ['/churn/score/batch', { items: [] }, 'items', /at least one/],
    ['/churn/score/batch', { items: [{}, { record: { log_orders_total: 'lots' } }] }, 'items.1.record.log_orders_total', /finite number/],
    ['/churn/events', {}, 'events', /expected array/],
    ['/churn/events', { events: [{ customerId: 'c', type: 'order', ts: 'yesterday' }] }, 'events.0.ts', /ISO 8601/],
    ['/churn/events', { events: [{ customerId: 'c', type: 'Order!' }] }, 'events.0.type', /event type/],
    ['/churn/events', { events: [{ customerId: 'c', type: 'order', value: 'NaN' }] }, 'events.0.value', /expected number/],
    ['/churn/events', { events: [{ customerId: 'c', type: 'review', rating: 99 }] }, 'events.0.rating', /10/],
    ['/churn/events', { events: Array.from({ length: 11 }, () => ({ customerId: 'c', type: 'page_view' })) }, 'events', /at most 10/],
    ['/churn/outcomes', { customerId: 'c', retained: 'yes' }, 'retained', /expected boolean/],
    ['/churn/outcomes', { customerId: 'c', retained: true, group: 'control' }, 'group', /treatment|holdout/],
  ])('POST %s %j → field %s', async (path, body, field, message) => {
    await expectBadRequest(path, body, field, message);
  });

  it('says which field in the message too', async () => {
    const error = await expectBadRequest('/churn/score', { record: { recency_days: 'NaN' } }, 'record.recency_days');
    expect(error.message).toContain('field "record.recency_days"');
  });
});

describe('unsafe keys', () => {
  it.each([
    ['{"customerId":"c","__proto__":{"polluted":true}}', '__proto__'],
    ['{"record":{"constructor":{"prototype":{"x":1}}}}', 'record.constructor'],
    ['{"items":[{"record":{"prototype":1}}]}', 'items.0.record.prototype'],
  ])('rejects %s', async (raw, field) => {
    const response = await request(shop.app).post('/churn/score').set('content-type', 'application/json').send(raw).expect(400);
    expect(response.body.error).toMatchObject({ code: 'UNSAFE_KEY', field });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects bodies nested deeper than the limit without recursing', () => {
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
    expect(findUnsafeKey(deep)?.message).toMatch(/nested deeper than 32 levels/);
  });
});

describe('transport errors', () => {
  it('answers 400 INVALID_JSON for malformed JSON', async () => {
    const response = await request(shop.app).post('/churn/score').set('content-type', 'application/json').send('{"customerId":').expect(400);
    expect(response.body.error.code).toBe('INVALID_JSON');
  });

  it('answers 413 for a body over the limit', async () => {
    const big = { events: [{ customerId: 'c', type: 'page_view', category: 'x'.repeat(3000) }] };
    const response = await request(shop.app).post('/churn/events').send(big).expect(413);
    expect(response.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('rejects NaN literals, which JSON cannot carry', async () => {
    const response = await request(shop.app)
      .post('/churn/score')
      .set('content-type', 'application/json')
      .send('{"record":{"recency_days":NaN}}')
      .expect(400);
    expect(response.body.error.code).toBe('INVALID_JSON');
  });
});
