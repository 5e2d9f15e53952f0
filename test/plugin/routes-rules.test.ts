/**
 * Rules of the plugin's routes that a mutation audit found no test guarding: which logged
 * decision `POST /outcomes` attributes an outcome to (same-millisecond decisions, a claimed
 * action "none"), what it hands the store, and the money `GET /report` adds up. The store is
 * an in-memory one the tests seed directly, so every decision's time is fixed; the clock is
 * the storefront's settable one.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginContext } from '../../plugin/context.js';
import { loadModelBody, replaceServingModel } from '../../plugin/routes/model.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { ChurnkitError, EngineError } from '../../src/errors.js';
import type { ChurnStore, Decision, Outcome } from '../../plugin/store/types.js';
import { DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';

const POLICY = { actions: [{ name: 'coupon', cost: 5, successRate: 0.3 }, { name: 'care', cost: 1, successRate: 0.05 }] };

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    customerId: 'c1', ts: NOW - DAY, day: new Date(NOW - DAY).toISOString().slice(0, 10), modelVersion: 'test', probability: 0.6,
    customerValue: 100, group: 'treatment', action: 'coupon', cost: 5, expectedValues: {}, skipped: {}, explanation: '',
    ...overrides,
  };
}

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

async function storefront(store: ChurnStore): Promise<TestStorefront> {
  shop = await testStorefront({ store, holdoutFraction: 0, policy: POLICY });
  return shop;
}

describe('POST /churn/outcomes attribution', () => {
  it('attributes an outcome to the decision logged last when two share the latest time', async () => {
    const store = memoryStore();
    // Logged in the same millisecond (two instances, or a retried request): the later logged one is the latest.
    await store.recordDecision(decision({ action: 'care', cost: 1 }), Infinity);
    await store.recordDecision(decision({ action: 'coupon' }), Infinity);
    const { app } = await storefront(store);
    const answer = await request(app).post('/churn/outcomes').send({ customerId: 'c1', retained: true }).expect(201);
    expect(answer.body).toEqual({ recorded: true, action: 'coupon', group: 'treatment' });
  });

  it('matches a claimed action "none" to a logged decision of no action', async () => {
    const store = memoryStore();
    // The policy chose no action (logged as null), then a coupon a day later.
    await store.recordDecision(decision({ action: null, cost: 0, ts: NOW - 2 * DAY }), Infinity);
    await store.recordDecision(decision({ action: 'coupon', ts: NOW - DAY }), Infinity);
    const { app } = await storefront(store);
    const answer = await request(app).post('/churn/outcomes').send({ customerId: 'c1', retained: false, action: 'none' }).expect(201);
    expect(answer.body).toEqual({ recorded: true, action: 'none', group: 'treatment' });
    expect((await store.outcomeReport())).toEqual([{ action: 'none', group: 'treatment', customers: 1, retained: 0 }]);
  });

  it('hands the store the outcome with its value, its time and the attributed decision', async () => {
    const recorded: Outcome[] = [];
    const inner = memoryStore();
    // A store that keeps what the route asked it to record (the SQLite store keeps `value` in its outcomes table).
    const store: ChurnStore = Object.assign(Object.create(inner) as ChurnStore, {
      recordOutcome: (outcome: Outcome) => {
        recorded.push(outcome);
        return inner.recordOutcome(outcome);
      },
    });
    await inner.recordDecision(decision(), Infinity);
    const { app } = await storefront(store);
    await request(app).post('/churn/outcomes').send({ customerId: 'c1', retained: true, value: 42.5, ts: NOW - 1000 }).expect(201);
    expect(recorded).toEqual([{ customerId: 'c1', ts: NOW - 1000, retained: true, action: 'coupon', group: 'treatment', value: 42.5 }]);
  });
});

describe('POST /churn/events when the store fails', () => {
  it('says the events were not stored, except when the connection broke before the store answered', async () => {
    const store = memoryStore();
    const { app } = await storefront(store);
    const post = () => request(app).post('/churn/events').send({ events: [{ customerId: 'c1', id: 'e1', type: 'order', value: 10 }] });
    store.appendEvents = () => Promise.reject(new ChurnkitError('STORE_REFUSED', 'Redis is at its maxmemory and refuses writes; this command was not carried out'));
    expect((await post().expect(503)).body.error.message).toBe('events were not stored: Redis is at its maxmemory and refuses writes; this command was not carried out');
    store.appendEvents = () => Promise.reject(new ChurnkitError('STORE_CONNECTION_LOST', 'the connection to Redis broke before it answered: the call may have been carried out (retry events with the same ids)'));
    const lost = (await post().expect(503)).body.error.message as string;
    expect(lost).toMatch(/^the events may have been stored: the connection to Redis broke/);
    expect(lost).not.toContain('not stored');
  });

  it('says the same of an outcome whose write lost its connection', async () => {
    const store = memoryStore();
    const { app } = await storefront(store);
    await store.recordDecision(decision(), Infinity);
    store.recordOutcome = () => Promise.reject(new ChurnkitError('STORE_CONNECTION_LOST', 'the connection to Redis broke before it answered: the call may have been carried out (retry events with the same ids)'));
    const answer = await request(app).post('/churn/outcomes').send({ customerId: 'c1', retained: true }).expect(503);
    expect(answer.body.error.message).toMatch(/^the outcome may have been stored: /);
  });
});

describe('GET /churn/report', () => {
  it('adds up the total spent to the cent: 0.10 and 0.20 spend 0.30, not 0.30000000000000004', async () => {
    const store = memoryStore();
    await store.recordDecision(decision({ customerId: 'a', action: 'care', cost: 0.1 }), Infinity);
    await store.recordDecision(decision({ customerId: 'b', action: 'coupon', cost: 0.2 }), Infinity);
    const { app } = await storefront(store);
    const report = (await request(app).get('/churn/report').expect(200)).body;
    expect(report.budget.spentTotal).toBe(0.3);
  });
});

describe('loading a model file (PUT /model, PUT /challenger)', () => {
  it('answers 503 when the kernel fails (the server\'s problem), 400 when the file is bad (the caller\'s)', async () => {
    // Only loadModel is read on these paths: the thrown error decides the status.
    const failingWith = (error: Error) => ({ loadModel: async () => Promise.reject(error), onError: () => {} }) as unknown as PluginContext;
    const kernel = await loadModelBody(failingWith(new EngineError('ENGINE_MEMORY', 'could not reserve WebAssembly memory')), {});
    expect(kernel).toEqual({ status: 503, body: { error: { code: 'ENGINE_MEMORY', message: 'could not reserve WebAssembly memory' } } });
    const file = await loadModelBody(failingWith(new ChurnkitError('MODEL_INVALID', 'no weights')), {});
    expect(file).toEqual({ status: 400, body: { error: { code: 'MODEL_INVALID', message: 'no weights' } } });
  });

  it('saves and swaps one model at a time, so the file saved last is the model serving (a slow save is not overtaken)', async () => {
    // Two swaps at once: v-slow's save waits until released, v-fast's would finish at once.
    const saved: string[] = [];
    const served: string[] = [];
    let releaseSlowSave!: () => void;
    const slowSave = new Promise<void>((resolve) => (releaseSlowSave = resolve));
    const context = {
      loadModel: async (body: { version: string }) => ({ version: body.version }),
      slot: { current: () => ({ version: served.at(-1) ?? 'v0' }), swap: (model: { version: string }) => served.push(model.version) },
      saveModel: async (body: { version: string }) => {
        if (body.version === 'v-slow') await slowSave;
        saved.push(body.version);
      },
      onError: () => {},
    } as unknown as PluginContext;
    const slow = replaceServingModel(context, { version: 'v-slow' });
    const fast = replaceServingModel(context, { version: 'v-fast' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(saved).toEqual([]);
    releaseSlowSave();
    expect([(await slow).body, (await fast).body]).toEqual([
      { version: 'v-slow', previousVersion: 'v0' },
      { version: 'v-fast', previousVersion: 'v-slow' },
    ]);
    expect(saved).toEqual(['v-slow', 'v-fast']);
    expect(served).toEqual(['v-slow', 'v-fast']);
  });
});
