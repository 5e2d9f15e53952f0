import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { churnHandler, memoryStore } from '../../../plugin/fetch/index.js';
import { EngineError, OptionsError } from '../../../src/errors.js';
import { REPO } from './example-project.js';
import { TEST_MODEL_FIT, testModel, testModelFile } from '../test-model.js';

const simdKernel = () => new Uint8Array(readFileSync(join(REPO, 'build', 'churnkit.simd.wasm')));

describe('churnHandler()', () => {
  it('loads a model file on the kernel it is given, and reports the engine', async () => {
    const handler = churnHandler({ model: await testModelFile(), engine: { module: await WebAssembly.compile(simdKernel()) }, store: memoryStore(), modelFit: TEST_MODEL_FIT });
    await handler.ready();
    const health = await handler.fetch(new Request('http://shop.test/churn/healthz'));
    expect(await health.json()).toMatchObject({ status: 'ok', modelVersion: 'test-v1', engine: 'wasm-simd' });
  });

  it('fails ready() naming why when no kernel was given, instead of falling back', async () => {
    const handler = churnHandler({ model: await testModelFile(), store: memoryStore(), modelFit: TEST_MODEL_FIT });
    const failure = await handler.ready().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(/no kernel was given.*fallback: 'js'/s);
    const health = await handler.fetch(new Request('http://shop.test/churn/healthz'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: 'MODEL_UNAVAILABLE' } });
  });

  it("runs on the pure-TypeScript engine when fallback: 'js' asks for it", async () => {
    const handler = churnHandler({ model: await testModelFile(), engine: { fallback: 'js' }, store: memoryStore(), modelFit: TEST_MODEL_FIT });
    await handler.ready();
    expect((await handler.model()).engine).toBe('js');
  });

  it.each([
    [{ model: 'models/storefront.json' }, /option "model": .*a path needs a file system/],
    [{ store: undefined }, /option "store"/],
    [{ basePath: '/churn/' }, /option "basePath"/],
    [{ bodyLimit: 'huge' }, /option "bodyLimit"/],
    [{ identify: 'x-customer-id' }, /option "identify"/],
    [{ adminToken: 'a-token-of-sixteen-chars' }, /has no option "adminToken"/],
  ])('refuses %j at construction', async (override, message) => {
    const attempt = async () => churnHandler({ model: await testModel(), store: memoryStore(), modelFit: TEST_MODEL_FIT, ...(override as object) } as never);
    await expect(attempt()).rejects.toThrow(OptionsError);
    await expect(attempt()).rejects.toThrow(message);
  });

  it('answers under its basePath only: 404 elsewhere, 405 with Allow for another method', async () => {
    const handler = churnHandler({ model: await testModel(), store: memoryStore(), modelFit: TEST_MODEL_FIT, basePath: '/api/churn' });
    expect((await handler.fetch(new Request('http://shop.test/api/churn/healthz'))).status).toBe(200);
    const elsewhere = await handler.fetch(new Request('http://shop.test/churn/healthz'));
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no churnkit route at /churn/healthz' } });
    const wrongMethod = await handler.fetch(new Request('http://shop.test/api/churn/score'));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  // The report is drawn from logged decisions with outcomes, which the edge never has (docs/edge.md).
  it('leaves the model report page to the Express plugin: a JSON 404 at /model/report', async () => {
    const handler = churnHandler({ model: await testModel(), store: memoryStore(), modelFit: TEST_MODEL_FIT });
    const report = await handler.fetch(new Request('http://shop.test/churn/model/report'));
    expect(report.status).toBe(404);
    expect(await report.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no churnkit route at /churn/model/report' } });
  });

  it('refuses a body past the limit before reading it whole, and a compressed one it cannot read', async () => {
    const handler = churnHandler({ model: await testModel(), store: memoryStore(), modelFit: TEST_MODEL_FIT, bodyLimit: 100 });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('{"items":[' + '{},'.repeat(20)));
      },
    });
    const tooLarge = await handler.fetch(new Request('http://shop.test/churn/score/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit));
    expect(tooLarge.status).toBe(413);
    expect(pulled).toBeLessThan(5);
    const gzipped = await handler.fetch(new Request('http://shop.test/churn/score', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'x' }));
    expect(gzipped.status).toBe(415);
  });

  it('assesses the customer behind a request through identify and features', async () => {
    const handler = churnHandler({
      model: await testModel(),
      store: memoryStore(),
      modelFit: TEST_MODEL_FIT,
      identify: (request) => request.headers.get('x-customer-id'),
      features: (request) => ({ cart_items: Number(new URL(request.url).searchParams.get('cart') ?? 0) }),
    });
    const full = await handler.assess(new Request('http://shop.test/p?cart=9', { headers: { 'x-customer-id': 'c1' } }));
    const empty = await handler.assess(new Request('http://shop.test/p?cart=0', { headers: { 'x-customer-id': 'c1' } }));
    expect(full).toMatchObject({ status: 'ok', customerId: 'c1' });
    expect(full.status === 'ok' && empty.status === 'ok' && full.probability < empty.probability).toBe(true);
    expect(await handler.assess(new Request('http://shop.test/p'))).toMatchObject({ status: 'ok', customerId: null, group: null });
  });

  // Stores write keys as UTF-8, where half of a surrogate pair becomes U+FFFD: on Workers KV
  // "x\ud800", "x\udc00" and "x\ufffd" were one customer, each scored on the others' events.
  it('refuses a customer id holding half of a surrogate pair, from a body or from identify', async () => {
    const store = memoryStore();
    const handler = churnHandler({ model: await testModel(), store, modelFit: TEST_MODEL_FIT, identify: (request) => JSON.parse(request.headers.get('x-session') ?? 'null').customer });
    const post = (path: string, body: string) => handler.fetch(new Request(`http://shop.test/churn${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    const events = await post('/events', `{"events":[{"customerId":"ok","type":"order"},{"customerId":"x\\ud800","type":"order"}]}`);
    expect(events.status).toBe(400);
    expect(await events.json()).toMatchObject({ error: { code: 'INVALID_BODY', field: 'events.1.customerId', message: expect.stringMatching(/Unicode text/) } });
    expect(await store.countCustomers()).toBe(0);
    for (const [path, body, field] of [
      ['/score', '{"customerId":"\\udc00x"}', 'customerId'],
      ['/score/batch', '{"items":[{"customerId":"a\\ud83d"}]}', 'items.0.customerId'],
    ] as const) {
      const answer = await post(path, body);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: 'INVALID_BODY', field } });
    }
    // A whole pair is one character, and welcome.
    expect(await (await post('/score', '{"customerId":"x\\ud83d\\ude00"}')).json()).toMatchObject({ status: 'ok', customerId: 'x\u{1f600}' });
    // A session decoded from JSON can carry the same escape.
    const page = await handler.assess(new Request('http://shop.test/p', { headers: { 'x-session': '{"customer":"x\\ud800"}' } }));
    expect(page).toMatchObject({ status: 'unavailable', customerId: null, code: 'INVALID_CUSTOMER_ID', reason: expect.stringMatching(/Unicode text/) });
  });

  it("score(customerId), called by the storefront's own code, refuses the ids the routes refuse, and stores nothing for them", async () => {
    const store = memoryStore();
    const handler = churnHandler({ model: await testModel(), store, modelFit: TEST_MODEL_FIT });
    for (const [id, reason] of [['x\ud800', /Unicode text/], ['c'.repeat(201), /an id of 201 characters, at most 200 taken/]] as const) {
      expect(await handler.score(id)).toMatchObject({ status: 'unavailable', customerId: null, code: 'INVALID_CUSTOMER_ID', reason: expect.stringMatching(reason) });
    }
    expect(await store.countCustomers()).toBe(0);
    expect(await handler.score('x\u{1f600}')).toMatchObject({ status: 'ok', customerId: 'x\u{1f600}' });
  });
});
