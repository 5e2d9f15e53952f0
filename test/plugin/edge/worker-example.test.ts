/**
 * docs/examples/edge/worker.ts, as a user deploys it, in workerd (miniflare): the Worker
 * imports the `.wasm` kernel as a module and the shipped model, serves the fetch handler
 * over loopback HTTP, and keeps state in a Durable Object or in Workers KV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, type ExampleProject } from './example-project.js';
import { bundleWorker, startWorker, type RunningWorker } from './worker-runtime.js';

const NOW = Date.now();
const DAY = 86_400_000;

/** A customer who ordered often a year ago and has not been seen since: the model's idea of risky. */
function lapsedCustomerEvents(customerId: string) {
  return Array.from({ length: 6 }, (_, index) => ({ customerId, type: 'order', value: 80, ts: NOW - (400 - index * 20) * DAY }));
}

async function post(worker: RunningWorker, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, worker.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

let project: ExampleProject;
let modules: Awaited<ReturnType<typeof bundleWorker>>;

beforeAll(async () => {
  project = exampleProject('worker.ts');
  modules = await bundleWorker(project.entry);
});
afterAll(() => project.remove());

it("bundles the plugin's zod switched to its interpreter (#zod-jitless under a Worker's conditions): a Worker refuses code compiled at run time", () => {
  const bundled = String(modules[0]!.contents);
  expect(bundled).toMatch(/zodJitless = true/);
  expect(bundled).toMatch(/config\(\{ jitless: true \}\)/);
});

describe.each(['durable-object', 'kv'] as const)('the Worker example with its %s store, in workerd', (storeKind) => {
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker(modules, {
      bindings: { CHURN_STORE: storeKind },
      kvNamespaces: ['CHURN_KV'],
      durableObjects: { CHURN_STATE: { className: 'ChurnStoreObject', useSQLite: true } },
    });
  });
  afterAll(async () => worker.stop());

  it('runs the model on the SIMD kernel it imported as a module', async () => {
    const response = await fetch(new URL('/churn/healthz', worker.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', modelVersion: expect.any(String), engine: 'wasm-simd' });
  });

  it('scores a customer once their events are stored, and batch-scores the same way', async () => {
    const before = await post(worker, '/churn/score', { customerId: `lapsed-${storeKind}` });
    expect(before.status).toBe(200);
    const accepted = await post(worker, '/churn/events', { events: lapsedCustomerEvents(`lapsed-${storeKind}`) });
    expect(accepted).toEqual({ status: 201, body: { accepted: 6 } });
    const after = await post(worker, '/churn/score', { customerId: `lapsed-${storeKind}` });
    expect(after.body).toMatchObject({ status: 'ok', customerId: `lapsed-${storeKind}` });
    // Stored events moved the score off the population prior the unknown customer got.
    expect(after.body.probability).not.toBeCloseTo(before.body.probability, 6);
    expect(after.body.reasons.length).toBeGreaterThan(0);

    const batch = await post(worker, '/churn/score/batch', { items: [{ customerId: `lapsed-${storeKind}` }, {}] });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].probability).toBeCloseTo(after.body.probability, 9);
    expect(batch.body.results[1]).toMatchObject({ status: 'ok', customerId: null, probability: before.body.probability });
  });

  it('assesses the shopper of a page through identify', async () => {
    const response = await fetch(new URL('/products/p-1', worker.url), { headers: { 'x-customer-id': `lapsed-${storeKind}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ product: 'p-1' });
  });

  it('answers bad bodies and unknown routes in the error shape', async () => {
    expect(await post(worker, '/churn/score', { customerId: 42 })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_BODY', field: 'customerId' } } });
    const missing = await fetch(new URL('/churn/nothing', worker.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
