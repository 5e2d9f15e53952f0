/**
 * Issue 11: error responses never echo stack traces or other customers' data. A store
 * driver's error can quote rows and keys, a hook's error whatever the storefront put in it, a
 * model's error its inputs: answers say what failed (and churnkit's own messages), the error
 * itself goes to the operator's `onError`. On both adapters, for every route that can fail.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { churn, type ChurnOptions } from '../../plugin/express/index.js';
import type { ServingModel } from '../../plugin/serving-model.js';
import { ChurnkitError } from '../../src/errors.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { bothAdapters, type Adapter } from './adapters.js';
import { NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel } from './test-model.js';

/** What must never reach a caller: another customer's e-mail address, and a stack. */
const SECRET = 'victim@example.com';

function leakyError(): Error {
  const error = new Error(`SQLITE_CORRUPT: row {"customer_id":"${SECRET}","revenue":912.4} is malformed`);
  error.stack = `${error.message}\n    at Statement.get (/srv/shop/node_modules/better-sqlite3/lib/methods/wrappers.js:5:21)`;
  return error;
}

/** A memory store whose every call fails with an error quoting another customer. */
function leakyStore(): ChurnStore {
  const store = memoryStore();
  const fail = async () => {
    throw leakyError();
  };
  return { ...store, getCustomerState: fail, appendEvents: fail, decisionsSince: fail, recordDecision: fail, recordOutcome: fail, outcomeReport: fail, decisionSummary: fail, spent: fail, eraseCustomer: fail };
}

function expectNothingLeaked(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('SQLITE');
  expect(text).not.toMatch(/\n\s+at |\/srv\/|node_modules/);
}

const reported: { error: unknown; code: string }[] = [];
const onError = (error: unknown, details: { code: string }) => reported.push({ error, code: details.code });
afterEach(() => {
  reported.length = 0;
});

let adapters: Adapter[];
let expressOnly: Adapter;
beforeAll(async () => {
  const both = await bothAdapters(
    { model: await testModel(), modelFit: TEST_MODEL_FIT, clock: () => NOW, onError },
    { storeFor: leakyStore, expressOnly: { adminToken: 'admin-token-of-some-length' } },
  );
  adapters = both.all;
  expressOnly = both.express;
});

describe.each(['Express', 'fetch'] as const)('a failing store, through %s', (name) => {
  const adapter = () => adapters.find((candidate) => candidate.name === name)!;

  it('fails a score open with a reason that names no row, and reports the error to onError', async () => {
    const answer = await adapter().send({ method: 'POST', path: '/churn/score', body: { customerId: 'attacker' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'unavailable', customerId: 'attacker', code: 'STORE_ERROR', reason: 'the store failed' });
    expectNothingLeaked(answer.text);
    expect(reported).toEqual([{ error: expect.objectContaining({ message: expect.stringContaining(SECRET) }), code: 'STORE_ERROR' }]);
  });

  it('answers 503 to events it could not store, without the driver\'s message', async () => {
    const answer = await adapter().send({ method: 'POST', path: '/churn/events', body: { events: [{ customerId: 'attacker', type: 'order' }] } });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'STORE_ERROR', message: 'events were not stored' } });
    expectNothingLeaked(answer.text);
    expect(reported.map((entry) => entry.code)).toEqual(['STORE_ERROR']);
  });
});

describe('a failing store, on the routes only the Express router has', () => {
  it.each([
    ['POST', '/churn/outcomes', { customerId: 'attacker', retained: true }, 'outcome was not stored'],
    ['GET', '/churn/report', undefined, 'report unavailable'],
    ['POST', '/churn/customers/erase', { customerId: 'attacker' }, 'the customer was not erased'],
  ] as const)('%s %s answers 503 saying what was not done, and nothing more', async (method, path, body, message) => {
    const answer = await expressOnly.send({ method, path, body, headers: { authorization: 'Bearer admin-token-of-some-length' } });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'STORE_ERROR', message } });
    expectNothingLeaked(answer.text);
    expect(reported).toHaveLength(1);
  });
});

describe('a failing model or a route that throws', () => {
  it.each(['Express', 'fetch'] as const)('%s: a model that throws gives a reason without its message', async (name) => {
    const model = await testModel();
    const broken = Object.assign(Object.create(model) as ServingModel, {
      predict: () => {
        throw leakyError();
      },
    });
    const both = await bothAdapters({ model: broken, modelFit: TEST_MODEL_FIT, onError });
    const answer = await both.all.find((adapter) => adapter.name === name)!.send({ method: 'POST', path: '/churn/score', body: { record: { recency_days: 3 } } });
    expect(answer.body).toEqual({ status: 'unavailable', customerId: null, code: 'SCORING_ERROR', reason: 'the model could not score this customer' });
    expectNothingLeaked(answer.text);
  });

  it.each(['Express', 'fetch'] as const)('%s: an unexpected throw inside a route is a 500 with no internals, reported to onError', async (name) => {
    const model = await testModel();
    // Once serving, reading the model's inputs to check a record throws: nothing catches that but the adapter.
    let armed = false;
    const treacherous = Object.create(model, {
      features: {
        get: () => {
          if (armed) throw leakyError();
          return model.features;
        },
      },
    }) as ServingModel;
    const both = await bothAdapters({ model: treacherous, modelFit: false, onError });
    armed = true;
    const answer = await both.all.find((adapter) => adapter.name === name)!.send({ method: 'POST', path: '/churn/score', body: { record: { recency_days: 3 } } });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error in the churnkit router' } });
    expectNothingLeaked(answer.text);
    expect(reported).toEqual([{ error: expect.objectContaining({ message: expect.stringContaining(SECRET) }), code: 'INTERNAL' }]);
  });
});

describe('a hook that throws', () => {
  let shop: TestStorefront;
  afterEach(async () => shop.close());

  it("never puts the hook's message or stack in the assessment a page renders", async () => {
    shop = await testStorefront({
      onError,
      features: () => {
        throw leakyError();
      },
    });
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(response.body.churn).toEqual({ status: 'unavailable', customerId: 'c1', code: 'HOOK_ERROR', reason: 'the identify or features hook threw' });
    expectNothingLeaked(response.text);
    expect(reported.map((entry) => entry.code)).toEqual(['HOOK_ERROR']);
  });

  it("never serves the message of a churnkit error a hook threw either: the hook is the storefront's code, whatever it wraps", async () => {
    // churnkit's own errors have their message served elsewhere (a timeout, a bad model output);
    // one a hook rethrows can carry whatever the storefront put in it.
    shop = await testStorefront({
      onError,
      identify: () => {
        throw new ChurnkitError('SESSION', `no session for ${SECRET}`);
      },
    });
    const response = await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(response.body.churn).toEqual({ status: 'unavailable', customerId: null, code: 'HOOK_ERROR', reason: 'the identify or features hook threw' });
    expectNothingLeaked(response.text);
  });
});

describe('a file the server could not use', () => {
  // A folder name that must not reach a caller: where the server keeps its files.
  let folder: string;
  let close: (() => Promise<void>) | undefined;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'churnkit-private-folder-'));
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function storefront(options: Partial<ChurnOptions>) {
    const plugin = churn({ model: await testModel(), store: memoryStore(), identify: (req) => req.get('x-customer-id'), modelFit: TEST_MODEL_FIT, onError, ...options });
    const app = express().use('/churn', plugin.router());
    app.get('/product/:id', plugin.scoreRoute(), (_req, res) => res.json(res.locals.churn));
    close = () => plugin.close();
    return app;
  }

  it('names a model file that does not load by its name, without the folders it is in', async () => {
    const file = join(folder, 'storefront.json');
    writeFileSync(file, '{"format":"churnkit-model"');
    const app = await storefront({ model: file });
    const answers = [
      await request(app).get('/churn/healthz').expect(503),
      await request(app).post('/churn/score').send({ customerId: 'c1' }).expect(503),
      await request(app).get('/product/p1').set('x-customer-id', 'c1').expect(200),
    ];
    for (const answer of answers) {
      expect(answer.text).toContain('storefront.json: the JSON ends after 26 characters');
      expect(answer.text).not.toContain(folder);
    }
    // The operator hears the whole path.
    expect(reported.some(({ error }) => (error as Error).message.includes(file))).toBe(true);
  });

  it('names the SQLite file of a later schema by its name, without the folders it is in', async () => {
    const dataDir = join(folder, 'data');
    mkdirSync(dataDir);
    const later = new Database(join(dataDir, 'churnkit.sqlite'));
    later.pragma('user_version = 99');
    later.close();
    const app = await storefront({ store: undefined, dataDir });
    const view = await request(app).get('/product/p1').set('x-customer-id', 'c1').expect(200);
    expect(view.body).toMatchObject({ status: 'unavailable', code: 'STORE_ERROR' });
    expect(view.text).toContain('the SQLite store churnkit.sqlite has schema 99');
    expect(view.text).not.toContain(folder);
  });
});
