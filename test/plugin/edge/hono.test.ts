import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { churn, memoryStore } from '../../../plugin/hono/index.js';
import { NOW, DAY } from '../plugin-app.js';
import { TEST_MODEL_FIT, testModel } from '../test-model.js';

async function shop() {
  const churnkit = churn({
    model: await testModel(),
    store: memoryStore(),
    modelFit: TEST_MODEL_FIT,
    identify: (c) => c.req.header('x-customer-id'),
    features: (c) => (c.req.query('cart') ? { cart_items: Number(c.req.query('cart')) } : {}),
    policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.5 }] },
    holdoutFraction: 0,
    clock: () => NOW,
  });
  await churnkit.ready();
  const app = new Hono();
  app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
  app.get('/products/:id', churnkit, (c) => c.json({ product: c.req.param('id'), churn: c.var.churn }));
  app.get('/static', (c) => c.text('ok'));
  return app;
}

describe('the Hono middleware (in Node)', () => {
  it("puts the customer's assessment on the context before the handler runs", async () => {
    const app = await shop();
    const events = [300, 320, 340].map((ago) => ({ customerId: 'lapsed', type: 'order', value: 60, ts: NOW - ago * DAY }));
    const stored = await app.request('/churn/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    expect(stored.status).toBe(201);
    const page = await app.request('/products/p-1', { headers: { 'x-customer-id': 'lapsed' } });
    const body = (await page.json()) as { product: string; churn: { status: string; customerId: string; action: { name: string } | null; reasons: unknown[] } };
    expect(body.product).toBe('p-1');
    expect(body.churn).toMatchObject({ status: 'ok', customerId: 'lapsed', action: { name: 'coupon' } });
    expect(body.churn.reasons.length).toBeGreaterThan(0);
  });

  it('scores the same through its routes as through the context', async () => {
    const app = await shop();
    const viaRoute = (await (await app.request('/churn/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'c9', record: { cart_items: 3 } }) })).json()) as { probability: number };
    const viaPage = (await (await app.request('/products/p-2?cart=3', { headers: { 'x-customer-id': 'c9' } })).json()) as { churn: { probability: number } };
    expect(viaPage.churn.probability).toBe(viaRoute.probability);
  });

  it('leaves routes without the middleware alone, and refuses a missing identify at construction', async () => {
    const app = await shop();
    expect(await (await app.request('/static')).text()).toBe('ok');
    expect(() => churn({ model: {}, store: memoryStore() } as never)).toThrow(/option "identify"/);
  });
});
