/**
 * One implementation behind every adapter: the Express router, the fetch handler and the Hono
 * middleware's API (in a Hono app) give the same status and the same JSON for the same
 * requests, events and customer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { churn as honoChurn, memoryStore } from '../../../plugin/hono/index.js';
import { bothAdapters, viaHono, type Adapter, type BothAdapters, type Sent } from '../adapters.js';
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
let hono: Adapter;

beforeAll(async () => {
  adapters = await bothAdapters({ model: await testModel(), ...shared });
  const churnkit = honoChurn({ model: await testModel(), ...shared, store: memoryStore(), identify: () => null });
  await churnkit.ready();
  hono = viaHono(churnkit);
});

async function same(sent: Sent) {
  const [fromExpress, fromFetch, fromHono] = [await adapters.express.send(sent), await adapters.fetch.send(sent), await hono.send(sent)];
  for (const edge of [fromFetch, fromHono]) {
    expect(edge.headers['content-type']).toBe('application/json; charset=utf-8');
    expect({ status: edge.status, allow: edge.headers['allow'], body: edge.body }).toEqual({ status: fromExpress.status, allow: fromExpress.headers['allow'], body: fromExpress.body });
  }
  return { status: fromFetch.status, body: fromFetch.body };
}

const json = 'application/json';

function orders(customerId: string, daysAgo: number[]) {
  return daysAgo.map((ago) => ({ customerId, type: 'order', value: 60, ts: NOW - ago * DAY }));
}

describe('the Express router, the fetch handler and the Hono middleware', () => {
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
    ['a JSON body led by a byte-order mark', { method: 'POST', path: '/churn/score', body: '\ufeff{"customerId":"bom"}', contentType: json }],
    ['a key given twice (the last one wins)', { method: 'POST', path: '/churn/score', body: '{"customerId":"first","customerId":"second"}', contentType: json }],
    ['a number past the largest double', { method: 'POST', path: '/churn/score', body: '{"record":{"recency_days":1e400}}', contentType: json }],
    ['a body nested 40 levels deep', { method: 'POST', path: '/churn/score/batch', body: '['.repeat(40) + ']'.repeat(40), contentType: json }],
    ['a charset other than UTF-8', { method: 'POST', path: '/churn/events', body: '{"events":[]}', contentType: 'application/json; charset=latin1' }],
    ['a customer id of 201 characters', { method: 'POST', path: '/churn/score', body: { customerId: 'c'.repeat(201) }, contentType: json }],
    ['half of a surrogate pair in a customer id', { method: 'POST', path: '/churn/events', body: '{"events":[{"customerId":"x\\udc00","type":"order"}]}', contentType: json }],
    ['an event from beyond the clock-skew allowance', { method: 'POST', path: '/churn/events', body: { events: [{ customerId: 'late', type: 'order', ts: NOW + DAY }] }, contentType: json }],
    ['an unknown path', { method: 'GET', path: '/churn/nowhere?x=1' }],
    ['a double slash', { method: 'POST', path: '/churn//score', body: {}, contentType: json }],
    ['a PUT to a route that answers GET', { method: 'PUT', path: '/churn/healthz' }],
    ['an OPTIONS to a route that answers POST', { method: 'OPTIONS', path: '/churn/events' }],
  ])('answer %s the same way', async (_what, sent) => {
    await same(sent);
  });

  // What a load balancer's health check sends: GET's status and headers, no body.
  it.each(['/churn/healthz', '/churn/model', '/churn/drift', '/churn/nowhere'])('answer a HEAD to %s as its GET, without the body', async (path) => {
    const head = await same({ method: 'HEAD', path });
    const get = await adapters.fetch.send({ method: 'GET', path });
    expect(head.status).toBe(get.status);
    expect((await adapters.fetch.send({ method: 'HEAD', path })).text).toBe('');
    expect((await hono.send({ method: 'HEAD', path })).text).toBe('');
  });
});
