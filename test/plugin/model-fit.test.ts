/**
 * Issue 12 item 3: a model whose inputs the store does not produce is refused where it
 * enters, at start-up and at `PUT /churn/model`, with an error listing the missing inputs.
 * Before, a model trained on another table hot-swapped with a 200 and every customer dropped
 * to the same low score. The tolerance (`modelFit.maxMissingShare`, default a quarter of the
 * inputs), the request-supplied fields a storefront declares, and the opt-out are tested here;
 * what live traffic actually supplies is reported by /healthz.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { churnHandler } from '../../plugin/fetch/index.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { OptionsError } from '../../src/errors.js';
import { loadModel } from '../../src/model/churn-model.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { parameterCount } from '../../src/engine/network-shape.js';
import { serializeModel, type ModelFileV1 } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';
import { fixtureModel } from '../model/model-fixture.js';
import { ADMIN_TOKEN, DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel } from './test-model.js';

/** A logistic regression over `columns` (numbers), version `version`. */
async function modelOver(columns: string[], version: string): Promise<ModelFileV1> {
  const random = createRandom(11);
  const rows = Array.from({ length: 50 }, () => Object.fromEntries(columns.map((column) => [column, random.next() * 10])));
  const featureSpec = fitFeatureSpec(rows, { missingIndicators: false, aliases: false });
  const architecture = { kind: 'logreg' as const, inputs: featureSpec.inputSize, layers: [{ units: 1, activation: 'sigmoid' as const }] };
  const parameters = Float32Array.from({ length: parameterCount(architecture) }, (_, i) => (i % 2 === 0 ? 0.3 : -0.2));
  return serializeModel({
    version,
    architecture,
    featureSpec,
    parameters,
    metadata: { target: 'churned', id: null, trainedAt: '2026-11-23T10:00:00.000Z', rows: 50, positiveRate: 0.3, threshold: 0.5, dataHash: 'c'.repeat(64), seed: 1, metrics: {}, scoreQuantiles: Array.from({ length: 11 }, (_, k) => k / 10), options: {} },
  });
}

const STORE_FEATURES = ['recency_days', 'log_orders_total', 'log_refunds_total', 'tenure_days'];
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('PUT /churn/model', () => {
  it('refuses a model trained on another table with 400 listing the missing inputs, and the old model keeps serving every customer as before', async () => {
    shop = await testStorefront({ holdoutFraction: 0 });
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: 'c1', ts: NOW - 300 * DAY, type: 'order', value: 40 }] }).expect(201);
    const before = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    const foreign = (await fixtureModel('logreg')).file;
    const refused = await request(shop.app).put('/churn/model').set(auth).send(foreign).expect(400);
    expect(refused.body.error.code).toBe('MODEL_DOES_NOT_FIT');
    expect(refused.body.error.message).toMatch(/^model test-1 does not fit this store: \d+ of its \d+ inputs \(100 %\) are neither features the store produces nor declared request features, and at most 25 % may be: /);
    for (const column of foreign.featureSpec.columns) expect(refused.body.error.message).toContain(column.name);
    const after = (await request(shop.app).post('/churn/score').send({ customerId: 'c1' })).body;
    expect(after.modelVersion).toBe('test-v1');
    expect(Object.is(after.probability, before.probability)).toBe(true);
  });

  it('takes a model with up to a quarter of its inputs from nowhere, and refuses one with more', async () => {
    shop = await testStorefront({ model: loadModel(createJsEngine(), await modelOver(STORE_FEATURES, 'store-only')), modelFit: undefined });
    await request(shop.app).put('/churn/model').set(auth).send(await modelOver([...STORE_FEATURES, 'loyalty_tier'], 'one-of-five')).expect(200);
    const refused = await request(shop.app).put('/churn/model').set(auth).send(await modelOver([...STORE_FEATURES.slice(0, 2), 'loyalty_tier', 'cart_items'], 'two-of-four')).expect(400);
    expect(refused.body.error.message).toContain('2 of its 4 inputs (50 %)');
    expect(refused.body.error.message).toMatch(/: loyalty_tier, cart_items\. /);
  });

  it('counts the request fields a storefront declares, and the tolerance and the opt-out are options', async () => {
    const requestSide = await modelOver(['recency_days', 'cart_items', 'coupon_viewed'], 'request-side');
    shop = await testStorefront({ modelFit: { requestFeatures: ['cart_items', 'coupon_viewed'] } });
    await request(shop.app).put('/churn/model').set(auth).send(requestSide).expect(200);
    await shop.close();
    shop = await testStorefront({ modelFit: { requestFeatures: ['cart_items', 'device'], maxMissingShare: 0 } });
    const strict = await request(shop.app).put('/churn/model').set(auth).send(await modelOver([...STORE_FEATURES, 'loyalty_tier'], 'strict')).expect(400);
    expect(strict.body.error.message).toContain('at most 0 % may be: loyalty_tier.');
    await shop.close();
    shop = await testStorefront({ modelFit: false });
    await request(shop.app).put('/churn/model').set(auth).send((await fixtureModel('logreg')).file).expect(200);
  });
});

describe('at start-up', () => {
  it('fails ready() with an OptionsError listing the missing inputs, in the Express plugin and the fetch handler', async () => {
    const foreign = (await fixtureModel('logreg')).file;
    const plugin = churn({ model: loadModel(createJsEngine(), foreign), identify: () => null, store: memoryStore() });
    const failure = await plugin.ready().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(OptionsError);
    expect(failure).toMatchObject({ code: 'MODEL_DOES_NOT_FIT', message: expect.stringContaining('Tenure') });
    const handler = churnHandler({ model: foreign, engine: { fallback: 'js' }, store: memoryStore() });
    await expect(handler.ready()).rejects.toThrow(/does not fit this store.*Tenure/);
    const health = await handler.fetch(new Request('http://shop.test/churn/healthz'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ error: { code: 'MODEL_UNAVAILABLE', message: expect.stringContaining('does not fit this store') } });
  });

  it('fails ready() for a challenger the store cannot feed, as PUT /challenger refuses it', async () => {
    const foreign = (await fixtureModel('logreg')).file;
    shop = await testStorefront();
    const refused = await request(shop.app).put('/churn/challenger').set(auth).send(foreign).expect(400);
    expect(refused.body.error.code).toBe('MODEL_DOES_NOT_FIT');
    const plugin = churn({ model: await testModel(), modelFit: TEST_MODEL_FIT, identify: () => null, store: shop.store, challenger: foreign });
    const failure = await plugin.ready().then(() => null, (error: unknown) => error);
    expect(failure).toMatchObject({ code: 'MODEL_DOES_NOT_FIT', message: expect.stringContaining('Tenure') });
  });

  it.each([
    [{ maxMissingShare: 1.5 }, /modelFit/],
    [{ requestFeatures: 'cart_items' }, /modelFit/],
    [true, /modelFit/],
  ])('refuses modelFit %j at construction', (modelFit, message) => {
    expect(() => churnHandler({ model: {}, store: memoryStore(), modelFit } as never)).toThrow(message);
  });
});

describe('GET /churn/healthz', () => {
  it('says how much of the model\'s input live traffic supplies, and warns when it is less than the check expects', async () => {
    // A model the check would refuse, served anyway: only one of its inputs is a store feature.
    shop = await testStorefront({ model: loadModel(createJsEngine(), await modelOver(['recency_days', 'basket_size', 'loyalty_tier', 'coupon_viewed'], 'thin')), modelFit: false, cacheTtlMs: 0 });
    await request(shop.app).post('/churn/events').send({ events: [{ customerId: 'c1', ts: NOW - 3 * DAY, type: 'order', value: 40 }] }).expect(201);
    for (let i = 0; i < 99; i++) await request(shop.app).post('/churn/score').send({ customerId: 'c1' }).expect(200);
    const early = (await request(shop.app).get('/churn/healthz').expect(200)).body;
    expect(early.inputs).toEqual({
      count: 4,
      fromStore: 1,
      scored: 99,
      suppliedShare: 0.25,
      leastSupplied: [
        { name: 'basket_size', share: 0 },
        { name: 'loyalty_tier', share: 0 },
        { name: 'coupon_viewed', share: 0 },
        { name: 'recency_days', share: 1 },
      ],
    });
    await request(shop.app).post('/churn/score').send({ customerId: 'c1', record: { basket_size: 3 } }).expect(200);
    const warned = (await request(shop.app).get('/churn/healthz').expect(200)).body;
    expect(warned.status).toBe('ok');
    expect(warned.inputs).toMatchObject({ scored: 100, suppliedShare: 0.2525 });
    expect(warned.inputs.warning).toBe("live traffic supplies 25.3 % of the model's inputs; at least 75 % are expected (1 - modelFit.maxMissingShare): see leastSupplied");
  });
});
