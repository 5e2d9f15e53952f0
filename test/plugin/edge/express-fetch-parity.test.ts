/**
 * One implementation behind both adapters: the Express router and the fetch handler give
 * the same status and the same JSON for the same requests, events and customer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bothAdapters, type BothAdapters, type Sent } from '../adapters.js';
import { DAY, NOW } from '../plugin-app.js';
import { TEST_MODEL_FIT, testModel } from '../test-model.js';

const shared = {
  policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.5 }] },
  dailyBudget: 12,
  holdoutFraction: 0.2,
  clock: () => NOW,
  bodyLimit: '2kb',
  modelFit: TEST_MODEL_FIT,
};

let adapters: BothAdapters;

beforeAll(async () => {
  adapters = await bothAdapters({ model: await testModel(), ...shared });
});

async function same(sent: Sent) {
  const [fromExpress, fromFetch] = [await adapters.express.send(sent), await adapters.fetch.send(sent)];
  expect(fromFetch.headers['content-type']).toBe('application/json; charset=utf-8');
  expect({ status: fromFetch.status, body: fromFetch.body }).toEqual({ status: fromExpress.status, body: fromExpress.body });
  return { status: fromFetch.status, body: fromFetch.body };
}

const json = 'application/json';

function orders(customerId: string, daysAgo: number[]) {
  return daysAgo.map((ago) => ({ customerId, type: 'order', value: 60, ts: NOW - ago * DAY }));
}

describe('the Express router and the fetch handler', () => {
  it('store the same events and then score, decide and explain the same way', async () => {
    const events = [...orders('lapsed', [300, 320, 340]), ...orders('loyal', [1, 8, 15, 30]), ...orders('lapsed-too', [280, 350])];
    expect(await same({ method: 'POST', path: '/churn/events', body: { events }, contentType: json })).toEqual({ status: 201, body: { accepted: 9 } });
    const actions = [];
    for (const customerId of ['lapsed', 'loyal', 'lapsed-too', 'stranger']) {
      const answer = await same({ method: 'POST', path: '/churn/score', body: { customerId }, contentType: json });
      expect(answer.status).toBe(200);
      actions.push((answer.body as { action: { name: string } | null }).action?.name ?? null);
    }
    // The policy acted on someone: decisions and the budget went through the store on both sides.
    expect(actions).toContain('coupon');
    const scored = await same({ method: 'POST', path: '/churn/score', body: { customerId: 'loyal', record: { cart_items: 4, device: 'app' } }, contentType: json });
    expect(scored.body).toMatchObject({ status: 'ok', reasons: expect.any(Array) });
    const batch = await same({ method: 'POST', path: '/churn/score/batch', body: { items: [{ customerId: 'lapsed' }, { record: { recency_days: 200 } }, {}] }, contentType: json });
    expect((batch.body as { results: unknown[] }).results).toHaveLength(3);
  });

  it('describe the same model and health', async () => {
    expect(await same({ method: 'GET', path: '/churn/healthz' })).toMatchObject({ status: 200, body: { status: 'ok', modelVersion: 'test-v1', engine: 'js' } });
    expect((await same({ method: 'GET', path: '/churn/model' })).status).toBe(200);
  });

  it.each<[string, Sent]>([
    ['a field of the wrong type', { method: 'POST', path: '/churn/score', body: { customerId: 42 }, contentType: json }],
    ['an unknown feature', { method: 'POST', path: '/churn/score', body: { record: { nope: 1 } }, contentType: json }],
    ['an empty batch', { method: 'POST', path: '/churn/score/batch', body: { items: [] }, contentType: json }],
    ['a body that is not JSON', { method: 'POST', path: '/churn/score', body: '{"customerId": ', contentType: json }],
    ['a bare JSON string', { method: 'POST', path: '/churn/score', body: '"c1"', contentType: json }],
    ['a prototype-poisoning key', { method: 'POST', path: '/churn/score', body: '{"record":{"__proto__":{"x":1}}}', contentType: json }],
    ['a body over the size limit', { method: 'POST', path: '/churn/events', body: { events: orders('big', Array.from({ length: 40 }, (_, day) => day)) }, contentType: json }],
    ['a body sent as text/plain', { method: 'POST', path: '/churn/score/batch', body: '{"items":[{}]}', contentType: 'text/plain' }],
    ['an empty JSON body', { method: 'POST', path: '/churn/score', body: '', contentType: json }],
    ['an event without a customer', { method: 'POST', path: '/churn/events', body: { events: [{ type: 'order' }] }, contentType: json }],
    ['a body led by a space JSON does not allow (U+00A0)', { method: 'POST', path: '/churn/score', body: '\u00a0{"customerId":"c1"}', contentType: json }],
    ['a HEAD to a route that answers POST', { method: 'HEAD', path: '/churn/score' }],
  ])('answer %s the same way', async (_what, sent) => {
    await same(sent);
  });

  // What a load balancer's health check sends: GET's status and headers, no body.
  it.each(['/churn/healthz', '/churn/model', '/churn/drift', '/churn/nowhere'])('answer a HEAD to %s as its GET, without the body', async (path) => {
    const head = await same({ method: 'HEAD', path });
    const get = await adapters.fetch.send({ method: 'GET', path });
    expect(head.status).toBe(get.status);
    expect((await adapters.fetch.send({ method: 'HEAD', path })).text).toBe('');
  });
});
