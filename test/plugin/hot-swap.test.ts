import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeModel, type ModelFileV1 } from '../../src/model/model-file.js';
import { ADMIN_TOKEN, testStorefront, type TestStorefront } from './plugin-app.js';
import { testModel, testModelFile } from './test-model.js';

let shop: TestStorefront;
let nextFile: ModelFileV1;
beforeEach(async () => {
  shop = await testStorefront({ holdoutFraction: 0 });
  nextFile = await testModelFile('test-v2', 1.5);
});
afterEach(async () => shop.close());

const record = { recency_days: 120, log_orders_total: 1 };
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('PUT /churn/model', () => {
  it('swaps atomically under concurrent scoring: every answer comes whole from one of the two versions', async () => {
    const expected = {
      'test-v1': (await testModel('test-v1', -0.5)).predict(record),
      'test-v2': (await testModel('test-v2', 1.5)).predict(record),
    };
    const score = () => request(shop.app).post('/churn/score').send({ record });
    const batch = () => request(shop.app).post('/churn/score/batch').send({ items: Array.from({ length: 20 }, () => ({ record })) });
    const before = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? batch() : score()));
    const swap = request(shop.app).put('/churn/model').set(auth).send(nextFile);
    const after = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? batch() : score()));
    const responses = await Promise.all([...before, swap, ...after]);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const versions = new Set<string>();
    for (const response of responses) {
      if (response.body.previousVersion !== undefined) continue;
      const results = response.body.results ?? [response.body];
      for (const result of results) {
        expect(result.status).toBe('ok');
        expect(result.probability).toBe(expected[result.modelVersion as keyof typeof expected]);
        if (response.body.results) expect(result.modelVersion).toBe(response.body.modelVersion);
        versions.add(result.modelVersion);
      }
    }
    expect([...versions].every((version) => version in expected)).toBe(true);
    const settled = await request(shop.app).post('/churn/score').send({ record }).expect(200);
    expect(settled.body.modelVersion).toBe('test-v2');
    expect((await request(shop.app).get('/churn/model')).body.version).toBe('test-v2');
  });

  it('lets a request in flight finish on the model it started with', async () => {
    const slow = await testStorefront({ holdoutFraction: 0, storeTimeoutMs: 10_000 });
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let waiting!: () => void;
      const blocked = new Promise<void>((resolve) => (waiting = resolve));
      const read = slow.store.readCustomerView!.bind(slow.store);
      slow.store.readCustomerViewNow = undefined; // reads now wait, as over a network
      slow.store.readCustomerView = async (id, asOfMs, decisionsSinceTs) => {
        waiting();
        await gate;
        return read(id, asOfMs, decisionsSinceTs);
      };
      const inFlight = request(slow.app)
        .post('/churn/score/batch')
        .send({ items: [{ customerId: 'a', record }, { customerId: 'b', record }] })
        .then((response) => response);
      await blocked;
      await request(slow.app).put('/churn/model').set(auth).send(nextFile).expect(200);
      release();
      const response = await inFlight;
      expect(response.body.modelVersion).toBe('test-v1');
      expect(response.body.results.map((result: { modelVersion: string }) => result.modelVersion)).toEqual(['test-v1', 'test-v1']);
      expect((await request(slow.app).post('/churn/score').send({ record })).body.modelVersion).toBe('test-v2');
    } finally {
      await slow.close();
    }
  });

  it('answers with the new and previous versions', async () => {
    await request(shop.app).put('/churn/model').set(auth).send(nextFile).expect(200, { version: 'test-v2', previousVersion: 'test-v1' });
  });

  it('refuses a tampered model with 400 and keeps serving the old one', async () => {
    const tampered = { ...nextFile, metadata: { ...nextFile.metadata, threshold: 0.1 } };
    const response = await request(shop.app).put('/churn/model').set(auth).send(tampered).expect(400);
    expect(response.body.error.code).toMatch(/CHECKSUM/);
    expect((await request(shop.app).get('/churn/model')).body.version).toBe('test-v1');
    expect((await request(shop.app).post('/churn/score').send({ record })).body.modelVersion).toBe('test-v1');
  });

  it('refuses a model whose weights overflow float32 (3e38) with 400 and keeps serving the old one', async () => {
    const { architecture, featureSpec, metadata, weights } = nextFile;
    const overflowing = await serializeModel({ version: 'test-huge', architecture, featureSpec, metadata, parameters: new Float32Array(weights.count).fill(3e38) });
    const response = await request(shop.app).put('/churn/model').set(auth).send(overflowing).expect(400);
    expect(response.body.error.code).toMatch(/^MODEL_(PROBE_FAILED|OUTPUT_UNBOUNDED)$/);
    const score = await request(shop.app).post('/churn/score').send({ record }).expect(200);
    expect(score.body.modelVersion).toBe('test-v1');
    expect(Number.isFinite(score.body.probability)).toBe(true);
  });

  it('refuses something that is not a model file, naming what is wrong', async () => {
    const response = await request(shop.app).put('/churn/model').set(auth).send({ format: 'onnx' }).expect(400);
    expect(response.body.error.message.length).toBeGreaterThan(10);
    expect((await request(shop.app).get('/churn/model')).body.version).toBe('test-v1');
  });
});

describe('admin authentication', () => {
  it('requires the bearer token', async () => {
    const missing = await request(shop.app).put('/churn/model').send(nextFile).expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    await request(shop.app).put('/churn/model').set({ authorization: 'Bearer wrong-token-of-some-length' }).send(nextFile).expect(401);
    await request(shop.app).put('/churn/model').set({ authorization: `Bearer ${ADMIN_TOKEN}x` }).send(nextFile).expect(401);
    await request(shop.app).put('/churn/model').set({ authorization: ADMIN_TOKEN }).send(nextFile).expect(401);
    expect((await request(shop.app).get('/churn/model')).body.version).toBe('test-v1');
  });

  // RFC 9110 (11.1): the scheme is case-insensitive; RFC 6750 (2.1): `"Bearer" 1*SP b64token`.
  // Clients that send `bearer` used to get 401 with the right token.
  it('reads the scheme in any case, and one or more spaces before the token', async () => {
    for (const authorization of [`bearer ${ADMIN_TOKEN}`, `BEARER ${ADMIN_TOKEN}`, `Bearer   ${ADMIN_TOKEN}`]) {
      const answer = await request(shop.app).delete('/churn/challenger').set({ authorization });
      expect({ authorization, status: answer.status }).toEqual({ authorization, status: 200 });
    }
    for (const authorization of [`Basic ${ADMIN_TOKEN}`, `Bearer\t${ADMIN_TOKEN}`, `Bearer${ADMIN_TOKEN}`, 'Bearer ', `Bearer ${ADMIN_TOKEN} x`]) {
      expect((await request(shop.app).delete('/churn/challenger').set({ authorization })).status, authorization).toBe(401);
    }
  });

  it('stays closed when no admin token is configured', async () => {
    const closed = await testStorefront({ adminToken: undefined });
    try {
      const response = await request(closed.app).put('/churn/model').set(auth).send(nextFile).expect(403);
      expect(response.body.error.code).toBe('ADMIN_DISABLED');
    } finally {
      await closed.close();
    }
  });
});
