/**
 * createExpressServer: node:http builds each request and response as the app's own object,
 * so Express's `Object.setPrototypeOf` in `app.handle` changes nothing (the garbage it made
 * V8 promote is measured by `npm run bench:gc`); and the app serves exactly as on
 * `app.listen`, with the plugin app-wide, per route, in sub-apps and behind its router.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressServer, expressServerClasses } from '../../plugin/express/index.js';
import { testStorefront, type TestStorefront } from './plugin-app.js';

const servers: Server[] = [];
let storefront: TestStorefront | undefined;

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
  await storefront?.close();
  storefront = undefined;
});

async function listening(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Whether each request and response reached the server already with the app's prototypes, before Express saw them. */
function bornAsTheApps(server: Server, app: Express): boolean[] {
  const seen: boolean[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
  });
  return seen;
}

describe('createExpressServer', () => {
  it("builds every request and response with the app's prototypes before Express handles them; app.listen's server does not", async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('hi');
    });
    const own = createExpressServer(app);
    const ownSeen = bornAsTheApps(own, app);
    const plain = createServer(app);
    const plainSeen = bornAsTheApps(plain, app);
    for (const server of [own, plain]) {
      const answer = await fetch(`${await listening(server)}/hello`);
      expect(await answer.text()).toBe('hi');
    }
    expect(ownSeen).toEqual([true]);
    expect(plainSeen).toEqual([false]);
  });

  it('serves the app as app.listen does: params, JSON bodies, headers, statuses, locals, req.app, errors and 404s', async () => {
    const app = express();
    app.disable('x-powered-by');
    app.use((_req, res, next) => {
      res.locals.greeting = 'hello';
      next();
    });
    app.post('/items/:id', express.json(), (req, res) => {
      res.status(201).set('x-item', req.params.id).json({ id: req.params.id, body: req.body, greeting: res.locals.greeting, sameApp: req.app === app, query: req.query.q });
    });
    app.get('/fails', () => {
      throw new Error('boom');
    });
    const origin = await listening(createExpressServer(app));

    const created = await fetch(`${origin}/items/42?q=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 1 }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-item')).toBe('42');
    expect(await created.json()).toEqual({ id: '42', body: { n: 1 }, greeting: 'hello', sameApp: true, query: 'x' });
    expect((await fetch(`${origin}/fails`)).status).toBe(500);
    expect((await fetch(`${origin}/nowhere`)).status).toBe(404);
  });

  it("gives a mounted sub-app's routes the sub-app, and the parent's routes after it the parent", async () => {
    const app = express();
    const shop = express();
    shop.get('/which', (req, res) => {
      res.json({ app: req.app === shop ? 'shop' : 'other', baseUrl: req.baseUrl });
    });
    app.use('/shop', shop);
    app.get('/which', (req, res) => {
      res.json({ app: req.app === app ? 'main' : 'other' });
    });
    const origin = await listening(createExpressServer(app));
    expect(await (await fetch(`${origin}/shop/which`)).json()).toEqual({ app: 'shop', baseUrl: '/shop' });
    expect(await (await fetch(`${origin}/which`)).json()).toEqual({ app: 'main' });
  });

  it('serves churnkit as app.listen does: req.churn app-wide, res.locals.churn per route, and the plugin router', async () => {
    storefront = await testStorefront();
    const { app, plugin } = storefront;
    app.get('/declared/:id', plugin.scoreRoute(), (_req, res) => {
      res.json({ churn: res.locals.churn });
    });
    const own = await listening(createExpressServer(app));
    const plain = await listening(createServer(app));
    const read = async (origin: string, path: string) => (await fetch(`${origin}${path}`, { headers: { 'x-customer-id': 'c1' } })).json() as Promise<{ churn: { status: string; probability: number } }>;
    for (const path of ['/product/p1', '/declared/p1']) {
      const [ownAnswer, plainAnswer] = [await read(own, path), await read(plain, path)];
      expect(ownAnswer.churn.status).toBe('ok');
      expect(ownAnswer.churn.probability).toBeGreaterThan(0);
      expect(ownAnswer.churn.probability).toBe(plainAnswer.churn.probability);
    }
    expect((await fetch(`${own}/churn/healthz`)).status).toBe(200);
  });

  it('gives classes to spread into any node:http server options (https takes the same two)', async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('hi');
    });
    const server = createServer({ keepAliveTimeout: 1_000, ...expressServerClasses(app) }, app);
    const seen = bornAsTheApps(server, app);
    expect(await (await fetch(`${await listening(server)}/hello`)).text()).toBe('hi');
    expect(seen).toEqual([true]);
  });
});
