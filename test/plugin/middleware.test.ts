import http from 'node:http';
import request from 'supertest';
import express, { type Request, type Response } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countCalls, DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { countingModel, testModel } from './test-model.js';

let shop: TestStorefront;
afterEach(async () => shop.close());

/** Posts one order 100 days old for `customerId`, through the plugin's own events route. */
async function lastOrderedLongAgo(customerId: string): Promise<void> {
  await request(shop.app)
    .post('/churn/events')
    .send({ events: [{ customerId, ts: NOW - 100 * DAY, type: 'order', value: 20 }] })
    .expect(201);
}

describe('req.churn', () => {
  it('is computed only when a route reads it: other routes never touch the store', async () => {
    shop = await testStorefront();
    const reads = countCalls(shop, 'readCustomerViewNow');
    await request(shop.app).get('/static').set('x-customer-id', 'c1').expect(200, 'ok');
    expect(reads.calls).toBe(0);
    await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(reads.calls).toBe(1);
  });

  it('is computed once per request however often it is read', async () => {
    shop = await testStorefront();
    const reads = countCalls(shop, 'readCustomerViewNow');
    shop.app.get('/twice', async (req, res) => {
      const [first, second] = await Promise.all([req.churn, req.churn]);
      res.json({ same: first === second });
    });
    await request(shop.app).get('/twice').set('x-customer-id', 'c1').expect(200, { same: true });
    expect(reads.calls).toBe(1);
  });

  it("merges the request's own features over the stored ones", async () => {
    shop = await testStorefront({ holdoutFraction: 0 });
    await lastOrderedLongAgo('c1');
    const emptyCart = (await request(shop.app).get('/product/p1').set('x-customer-id', 'c1')).body.churn;
    const fullCart = (await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').set('x-cart-items', '9')).body.churn;
    expect(emptyCart.status).toBe('ok');
    // The test model's cart weight is negative: a full cart lowers the risk.
    expect(fullCart.probability).toBeLessThan(emptyCart.probability);
  });

  it('explains only when the reasons are read, once', async () => {
    const { model: counting, counter: explained } = countingModel(await testModel(), 'explain');
    shop = await testStorefront({ model: counting });
    shop.app.get('/offer', async (req, res) => {
      const churn = await req.churn;
      res.json({ band: churn.status === 'ok' ? churn.band : null });
    });
    shop.app.get('/why', async (req, res) => {
      const churn = await req.churn;
      res.json(churn.status === 'ok' ? [churn.reasons, churn.reasons] : null);
    });
    await request(shop.app).get('/offer').set('x-customer-id', 'c1').set('x-cart-items', '2').expect(200);
    expect(explained.calls).toBe(0);
    const why = await request(shop.app).get('/why').set('x-customer-id', 'c1').set('x-cart-items', '2').expect(200);
    expect(explained.calls).toBe(1);
    expect(why.body[0][0]).toMatchObject({ feature: 'cart_items', value: 2 });
  });

  it('gives no reasons, not a failure, when explaining throws', async () => {
    const model = await testModel();
    shop = await testStorefront({
      model: Object.assign(Object.create(model), {
        explain: () => {
          throw new Error('explainer broke');
        },
      }),
    });
    const churn = (await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').set('x-cart-items', '1').expect(200)).body.churn;
    expect(churn).toMatchObject({ status: 'ok', reasons: [] });
    expect((await request(shop.app).get('/churn/metrics')).text).toContain('churnkit_fail_open_total{reason="EXPLAIN_ERROR"} 1');
  });

  it('scores an anonymous visitor without a decision', async () => {
    shop = await testStorefront();
    const churn = (await request(shop.app).get('/product/p1').expect(200)).body.churn;
    expect(churn).toMatchObject({ status: 'ok', customerId: null, action: null, group: null, explanation: null });
  });
});

describe('req.churn across an app made of parts', () => {
  /** What a route saw of `req.churn`: its customer, or that there was none. */
  const seen = async (req: Request, res: Response) => {
    const churn = req.churn === undefined ? undefined : await req.churn;
    res.json({ customerId: churn?.customerId ?? null, has: 'churn' in req });
  };

  it('reaches routes of sub-apps mounted below the middleware, and routes after a sub-app it ran in', async () => {
    shop = await testStorefront();
    const catalogue = express();
    catalogue.get('/item', seen);
    shop.app.use('/catalogue', catalogue);
    await request(shop.app).get('/catalogue/item').set('x-customer-id', 'c1').expect(200, { customerId: 'c1', has: true });

    // The plugin mounted only inside a sub-app; the parent's route after it still reads it.
    const outer = express();
    const account = express();
    account.use(shop.plugin);
    account.get('/page', (_req, _res, next) => next('route'));
    outer.use('/account', account);
    outer.get('/account/page', seen);
    await request(outer).get('/account/page').set('x-customer-id', 'c2').expect(200, { customerId: 'c2', has: true });
  });

  it('is absent, and the store untouched, where the middleware did not run; other apps are left alone', async () => {
    shop = await testStorefront();
    const reads = countCalls(shop, 'readCustomerViewNow');
    const app = express();
    app.get('/before', seen);
    app.use('/shop', shop.plugin);
    app.get('/shop/item', seen);
    app.get('/elsewhere', seen);
    const unrelated = express();
    unrelated.get('/x', seen);
    await request(app).get('/shop/item').set('x-customer-id', 'c1').expect(200, { customerId: 'c1', has: true });
    expect(reads.calls).toBe(1);
    for (const path of ['/before', '/elsewhere']) expect((await request(app).get(path).set('x-customer-id', 'c1').expect(200)).body.customerId).toBeNull();
    expect(reads.calls).toBe(1);
    await request(unrelated).get('/x').set('x-customer-id', 'c1').expect(200, { customerId: null, has: false });
  });

  it("answers each request with its own customer, and lets a route set req.churn itself", async () => {
    shop = await testStorefront();
    const app = express();
    app.use(shop.plugin);
    app.get('/item', seen);
    app.get('/mocked', (req, res) => {
      req.churn = Promise.resolve({ status: 'unavailable', customerId: 'stub', code: 'TEST', reason: 'set by the route' });
      return seen(req, res);
    });
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((id) => request(app).get('/item').set('x-customer-id', id)));
    expect(answers.map((answer) => answer.body.customerId)).toEqual(['a', 'b', 'c', 'd']);
    await request(app).get('/mocked').set('x-customer-id', 'a').expect(200, { customerId: 'stub', has: true });
    await request(app).get('/item').set('x-customer-id', 'e').expect(200, { customerId: 'e', has: true });
  });

  it("leaves an app's own req.churn accessor in place and still answers the requests it sees", async () => {
    shop = await testStorefront();
    const app = express();
    Object.defineProperty(app.request, 'churn', { configurable: true, get: () => Promise.resolve({ status: 'unavailable', customerId: 'theirs', code: 'APP', reason: 'the app its own' }) });
    app.get('/before', seen);
    app.use('/shop', shop.plugin);
    app.get('/shop/item', seen);
    await request(app).get('/shop/item').set('x-customer-id', 'c1').expect(200, { customerId: 'c1', has: true });
    await request(app).get('/before').set('x-customer-id', 'c1').expect(200, { customerId: 'theirs', has: true });
    await request(app).get('/shop/item').set('x-customer-id', 'c2').expect(200, { customerId: 'c2', has: true });
  });

  it('works on a bare router outside any Express app', async () => {
    shop = await testStorefront();
    const router = express.Router();
    router.use(shop.plugin);
    router.get('/item', seen as never);
    const server = http.createServer((req, res) => {
      const response = res as unknown as Response;
      // Enough of Express's response for `seen`: a bare router has no res.json.
      response.json = (body: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
        return response;
      };
      (req as unknown as { get(name: string): unknown }).get = (name: string) => req.headers[name.toLowerCase()];
      router(req as never, res as never, () => {
        res.statusCode = 404;
        res.end();
      });
    });
    await request(server).get('/item').set('x-customer-id', 'c9').expect(200, { customerId: 'c9', has: true });
    expect(Object.hasOwn(http.IncomingMessage.prototype, 'churn')).toBe(false);
  });
});

describe('plugin.scoreRoute()', () => {
  /** A bare request and response, enough for the middleware: it is called directly. */
  const direct = (customerId: string) => ({
    req: { get: (name: string) => (name === 'x-customer-id' ? customerId : undefined) } as unknown as Request,
    res: { locals: {} } as unknown as Response,
  });

  it('puts the same assessment as req.churn in res.locals.churn before the handler', async () => {
    shop = await testStorefront({ holdoutFraction: 0 });
    await lastOrderedLongAgo('c1');
    shop.app.get('/declared/:id', shop.plugin.scoreRoute(), (_req, res) => {
      res.json({ churn: res.locals.churn });
    });
    const declared = (await request(shop.app).get('/declared/p1').set('x-customer-id', 'c1').expect(200)).body.churn;
    const lazy = (await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200)).body.churn;
    expect(declared.status).toBe('ok');
    expect(declared.customerId).toBe('c1');
    expect(declared).toEqual(lazy);
  });

  it('calls next in the same tick when the answer is remembered, after the store read when not', async () => {
    shop = await testStorefront();
    await shop.store.appendEvents([{ customerId: 'c1', ts: NOW - 10 * DAY, type: 'order', value: 20 }]);
    shop.store.readCustomerViewNow = undefined; // reads wait, as Redis's do
    const middleware = shop.plugin.scoreRoute();
    const first = direct('c1');
    let nextCalls = 0;
    middleware(first.req, first.res, () => nextCalls++);
    expect(nextCalls).toBe(0);
    await vi.waitFor(() => expect(nextCalls).toBe(1));
    const again = direct('c1');
    middleware(again.req, again.res, () => nextCalls++);
    expect(nextCalls).toBe(2);
    // The very same answer, shared: frozen so no request can change it for the others.
    expect(again.res.locals.churn).toBe(first.res.locals.churn);
    expect(Object.isFrozen(again.res.locals.churn)).toBe(true);
  });

  it('calls next in the same tick on a cold view when the store reads synchronously (SQLite) and nothing is issued', async () => {
    shop = await testStorefront({ cacheTtlMs: 0 });
    await shop.store.appendEvents([{ customerId: 'c1', ts: NOW - 10 * DAY, type: 'order', value: 20 }]);
    const reads = countCalls(shop, 'readCustomerViewNow');
    const middleware = shop.plugin.scoreRoute();
    let nextCalls = 0;
    for (const customerId of ['c1', 'c1', 'never-seen']) {
      const view = direct(customerId);
      middleware(view.req, view.res, () => nextCalls++);
      expect(view.res.locals.churn).toMatchObject({ status: 'ok', customerId, action: null });
    }
    expect(nextCalls).toBe(3);
    expect(reads.calls).toBe(3);
  });

  it('assesses once when the route also reads req.churn', async () => {
    shop = await testStorefront();
    const reads = countCalls(shop, 'readCustomerViewNow');
    shop.app.get('/both', shop.plugin.scoreRoute(), async (req, res) => {
      res.json({ same: (await req.churn) === res.locals.churn });
    });
    await request(shop.app).get('/both').set('x-customer-id', 'c9').expect(200, { same: true });
    expect(reads.calls).toBe(1);
  });

  it('works on an app without the plugin mounted, and fails open like req.churn', async () => {
    const reported: unknown[] = [];
    shop = await testStorefront({ identify: () => { throw new Error('no session'); }, onError: (error) => reported.push(error) });
    const app = express();
    app.get('/p', shop.plugin.scoreRoute(), (_req, res) => {
      res.json(res.locals.churn);
    });
    const body = (await request(app).get('/p').expect(200)).body;
    expect(body).toMatchObject({ status: 'unavailable', code: 'HOOK_ERROR' });
    // The hook's own message goes to onError, not into the answer.
    expect(body.reason).toBe('the identify or features hook threw');
    expect(reported).toEqual([new Error('no session')]);
  });

  it('reads the id from identify as the routes do: trimmed, and not acted on past 200 characters', async () => {
    const reported: { code: string; customerId: string | null }[] = [];
    shop = await testStorefront({ onError: (_error, details) => reported.push(details) });
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: ' c-42 ', ts: NOW - DAY, type: 'refund', value: 10 }] }).expect(201);
    // The events route stored " c-42 " as "c-42"; the page's identify must read the same customer.
    const padded = (await request(shop.app).get('/product/p').set('x-customer-id', '  c-42\t').expect(200)).body.churn;
    expect(padded).toMatchObject({ status: 'ok', customerId: 'c-42' });
    expect(JSON.stringify(padded.reasons)).toContain('refund');
    expect((await request(shop.app).get('/product/p').set('x-customer-id', '   ').expect(200)).body.churn).toMatchObject({ status: 'ok', customerId: null });
    // A 201-character id (a header any client can send) is neither scored nor offered anything, nor echoed back.
    const reads = countCalls(shop, 'readCustomerViewNow');
    const long = (await request(shop.app).get('/product/p').set('x-customer-id', 'x'.repeat(201)).expect(200)).body.churn;
    expect(long).toEqual({ status: 'unavailable', customerId: null, code: 'INVALID_CUSTOMER_ID', reason: 'the identify hook gave an id churnkit cannot act on: an id of 201 characters, at most 200 taken' });
    expect(reads.calls).toBe(0);
    expect(reported).toEqual([{ code: 'INVALID_CUSTOMER_ID', customerId: null }]);
    expect((await request(shop.app).get('/product/p').set('x-customer-id', 'x'.repeat(200)).expect(200)).body.churn).toMatchObject({ status: 'ok' });
  });
});

describe('decisions through the store', () => {
  const policy = { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: 2 * DAY }] };

  async function lapsed(id: string) {
    await request(shop.app)
      .post('/churn/events')
      .send({ events: [{ customerId: id, ts: NOW - 300 * DAY, type: 'order', value: 40 }] })
      .expect(201);
  }

  it('does not repeat an action within its cooldown, and issues it again after', async () => {
    shop = await testStorefront({ holdoutFraction: 0, policy });
    await lapsed('c1');
    const first = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    expect(first.action?.name).toBe('coupon');
    const second = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    expect(second.action).toBeNull();
    expect(second.explanation).toMatch(/skipped coupon \(cooldown/);
    shop.clock.now = NOW + 3 * DAY;
    const third = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    expect(third.action?.name).toBe('coupon');
  });

  it('stops issuing once the daily budget is spent, and starts again the next day', async () => {
    shop = await testStorefront({ holdoutFraction: 0, policy, dailyBudget: 12 });
    const ids = ['b1', 'b2', 'b3'];
    for (const id of ids) await lapsed(id);
    const actions = [];
    for (const id of ids) actions.push((await request(shop.app).post('/churn/score').send({ customerId: id })).body);
    expect(actions.map((body) => body.action?.name ?? null)).toEqual(['coupon', 'coupon', null]);
    expect(actions[2].explanation).toMatch(/skipped coupon \(budget: 12 for 2026-11-23/);
    expect(await shop.store.spent('2026-11-23')).toBe(10);
    shop.clock.now = NOW + DAY;
    expect((await request(shop.app).post('/churn/score').send({ customerId: 'b3' })).body.action?.name).toBe('coupon');
  });

  it('keeps a customer in the same group, and logs what a held-out customer would have received', async () => {
    shop = await testStorefront({ holdoutFraction: 0.5, policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: 0 }] } });
    const ids = Array.from({ length: 12 }, (_, i) => `h${i}`);
    for (const id of ids) await lapsed(id);
    for (const id of ids) {
      const first = (await request(shop.app).post('/churn/score').send({ customerId: id })).body;
      const again = (await request(shop.app).post('/churn/score').send({ customerId: id })).body;
      expect(again.group).toBe(first.group);
      if (first.group === 'holdout') {
        expect(first.action).toBeNull();
        const [logged] = await shop.store.decisionsSince(id, 0);
        expect(logged).toMatchObject({ group: 'holdout', action: 'coupon', cost: 0 });
        expect(logged!.explanation).toMatch(/^holdout, nothing issued; would be coupon: EV/);
      } else {
        expect(first.action?.name).toBe('coupon');
      }
    }
  });
});

describe('router and scoreRoute mounted without calling them', () => {
  it('answer every request with an error naming the fix, rather than leaving it unanswered', async () => {
    shop = await testStorefront();
    const app = express();
    app.use('/churn', shop.plugin.router as unknown as express.RequestHandler);
    app.get('/product/:id', shop.plugin.scoreRoute as unknown as express.RequestHandler, (_req: Request, res: Response) => {
      res.send('served');
    });
    for (const [path, name] of [['/churn/healthz', 'router'], ['/product/p1', 'scoreRoute']]) {
      const answer = await request(app).get(path!).timeout(5_000);
      expect(answer.status, path).toBe(500);
      expect(answer.text).toContain(`mount plugin.${name}(), not plugin.${name}`);
    }
  });
});
