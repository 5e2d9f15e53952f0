import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnsafeKey, MAX_BODY_DEPTH, type UnsafeKey } from '../../plugin/validation/unsafe-keys.js';
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
    ['/churn/events', { events: [{ customerId: 'c', type: 'order', value: 1e308 }] }, 'events.0.value', /within ±1e\+12/],
    ['/churn/events', { events: [{ customerId: 'c', type: 'order', value: 5, quantity: -1e13 }] }, 'events.0.quantity', /within ±1e\+12/],
    ['/churn/outcomes', { customerId: 'c', retained: true, value: 1e300 }, 'value', /within ±1e\+12/],
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

  it('answers what a walk spelling out every path answers, for any parsed body', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const body: unknown = JSON.parse(text);
        expect(findUnsafeKey(body)).toEqual(unsafeKeyByFullPaths(body));
      }),
      { seed: 20261203, numRuns: 3_000 },
    );
  });
});

/**
 * The walk as first written (an entry and a dotted path for every key): the answer
 * `findUnsafeKey` must give, same key found first, same path, same message.
 */
function unsafeKeyByFullPaths(body: unknown): UnsafeKey | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) return { field: path, message: `nested deeper than ${MAX_BODY_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (['__proto__', 'constructor', 'prototype'].includes(key)) return { field: keyPath, message: `key "${key}" is not allowed` };
      pending.push({ value: (value as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * JSON text (so `__proto__` arrives as an own key, as from a request body): objects whose
 * keys are now and then forbidden, empty or numeric, arrays, scalars, and chains of single
 * children deep enough to pass the depth limit.
 */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; chain: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null)).map((scalar) => JSON.stringify(scalar)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', '0', '12', 'record', 'items'), fc.string({ maxLength: 3 })), tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
    tie('chain'),
  ),
  chain: fc
    .tuple(fc.integer({ min: MAX_BODY_DEPTH - 2, max: MAX_BODY_DEPTH + 3 }), fc.boolean(), tie('value'))
    .map(([depth, asArrays, leaf]) => (asArrays ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth))),
})).value;

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
