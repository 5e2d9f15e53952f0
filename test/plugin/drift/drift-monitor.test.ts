/**
 * The drift monitor's bookkeeping: sampling, the rolling window, one model at a time (a
 * hot-swapped model starts afresh), counting after the answer, and what is reported when
 * nothing can be measured.
 */
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { AfterResponseQueue } from '../../../plugin/after-response-queue.js';
import { createDriftMonitor } from '../../../plugin/drift/drift-monitor.js';
import { churn } from '../../../plugin/express/index.js';
import { memoryStore } from '../../../plugin/store/memory-store.js';
import type { ExplainableChurnModel } from '../../../src/explain/explainable.js';
import { loadEngine } from '../../../src/node/index.js';
import { train } from '../../../src/train/train.js';
import { syntheticCustomers } from '../../model/synthetic-customers.js';
import { generatedCustomers } from './segment-shift-store.js';
import { TEST_MODEL_FIT, testModel } from '../test-model.js';

const rows = syntheticCustomers(300, 5);
let champion: ExplainableChurnModel;
let replacement: ExplainableChurnModel;

beforeAll(async () => {
  const engine = await loadEngine();
  champion = (await train(rows, { engine, target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 5, seed: 1, version: 'champion' })).model;
  replacement = (await train(rows, { engine, target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 5, seed: 2, version: 'replacement' })).model;
});

const settings = { window: 1000, sample: 1, minObservations: 50 };
const failOnError = (error: unknown) => {
  throw error;
};

function observe(monitor: ReturnType<typeof createDriftMonitor>, model: ExplainableChurnModel, count: number, from = 0): void {
  for (let index = from; index < from + count; index++) {
    const row = rows[index % rows.length]!;
    monitor.observe(model, row, model.predict(row));
  }
}

describe('createDriftMonitor', () => {
  it('gives no PSI below minObservations, then one per feature and for the score', () => {
    const monitor = createDriftMonitor(settings, failOnError);
    observe(monitor, champion, 49);
    const early = monitor.report(champion);
    expect(early.observations).toBe(49);
    expect(early.score).toMatchObject({ psi: null, band: null });
    observe(monitor, champion, 251, 49);
    const report = monitor.report(champion);
    expect(report.observations).toBe(300);
    // The training rows themselves: no drift at all.
    expect(report.features.map((entry) => entry.psi)).toEqual(champion.features.map(() => 0));
    expect(report.score).toMatchObject({ psi: 0, band: 'stable' });
  });

  it('counts a sample of the customers when asked to', () => {
    const monitor = createDriftMonitor({ ...settings, sample: 0.25 }, failOnError);
    observe(monitor, champion, 400);
    expect(monitor.report(champion).observations).toBe(100);
  });

  it('keeps a rolling window: old customers leave it a tenth at a time', () => {
    const monitor = createDriftMonitor({ ...settings, window: 100 }, failOnError);
    observe(monitor, champion, 1234);
    const { observations } = monitor.report(champion);
    expect(observations).toBeGreaterThanOrEqual(90);
    expect(observations).toBeLessThanOrEqual(100);
  });

  it('measures a swapped-in model afresh, and no longer counts requests that captured the old one', () => {
    const monitor = createDriftMonitor(settings, failOnError);
    observe(monitor, champion, 60);
    observe(monitor, replacement, 30);
    observe(monitor, champion, 10);
    expect(monitor.report(replacement)).toMatchObject({ modelVersion: 'replacement', observations: 30 });
    expect(monitor.report(champion).observations).toBe(0);
  });

  it('keeps measuring a model swapped in after one without a reference, when requests still finishing on that one are counted late', async () => {
    const old = await testModel();
    const monitor = createDriftMonitor(settings, failOnError);
    observe(monitor, old, 5);
    observe(monitor, champion, 20);
    // A request that captured the reference-less model before the swap finishes now.
    observe(monitor, old, 1);
    observe(monitor, champion, 30, 20);
    expect(monitor.report(champion)).toMatchObject({ available: true, observations: 50 });
  });

  it('says why when the model has no reference distribution, or drift is off', async () => {
    const old = await testModel();
    expect(createDriftMonitor(settings, failOnError).report(old)).toMatchObject({ available: false, reason: expect.stringMatching(/no reference distribution.*retrain/), features: [] });
    expect(createDriftMonitor(false, failOnError).report(champion)).toMatchObject({ available: false, reason: expect.stringMatching(/off/) });
  });
});

describe('AfterResponseQueue', () => {
  it('does the work on a later turn of the event loop, never during the request', async () => {
    const seen: number[] = [];
    const queue = new AfterResponseQueue(1, 8, (samples, count) => {
      for (let index = 0; index < count; index++) seen.push(samples.probability(index));
    }, failOnError);
    queue.offer(champion, rows[0]!, 0.25, 'c-1', 1);
    queue.offer(champion, rows[1]!, 0.75, 'c-2', 2);
    expect(seen).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([0.25, 0.75]);
  });

  it('drops and counts samples when the work falls behind, rather than queueing without bound', () => {
    let counted = 0;
    const queue = new AfterResponseQueue(1, 4, (_samples, count) => (counted += count), failOnError);
    for (let index = 0; index < 10; index++) queue.offer(champion, rows[index]!, 0.5, null, 0);
    queue.flush();
    expect(counted).toBe(4);
    expect(queue.dropped).toBe(6);
  });

  it("tells each model's own dropped samples: a model swapped in does not report those its predecessor lost", () => {
    const monitor = createDriftMonitor(settings, failOnError);
    // One turn offers more than the queue holds (4,096): the rest are dropped.
    observe(monitor, champion, 5000);
    expect(monitor.report(champion).dropped).toBe(5000 - 4096);
    observe(monitor, replacement, 10);
    expect(monitor.report(replacement)).toMatchObject({ observations: 10, dropped: 0 });
  });

  it('hands a failing batch to onError, and goes on with the next', () => {
    const errors: unknown[] = [];
    let calls = 0;
    const queue = new AfterResponseQueue(1, 4, () => {
      if (++calls === 1) throw new Error('broken batch');
    }, (error) => errors.push(error));
    queue.offer(champion, rows[0]!, 0.5, null, 0);
    queue.flush();
    queue.offer(champion, rows[1]!, 0.5, null, 0);
    queue.flush();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
  });
});

describe('GET /drift and the gauges for a model without a reference distribution', () => {
  it('answers 200 with available: false, and exports a window of 0 and no PSI', async () => {
    const plugin = churn({ model: await testModel(), store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    await request(app).post('/churn/score').send({ record: { recency_days: 30 } }).expect(200);
    const drift = await request(app).get('/churn/drift').expect(200);
    expect(drift.body).toMatchObject({ available: false, observations: 0 });
    const metrics = (await request(app).get('/churn/metrics').expect(200)).text;
    expect(metrics).toMatch(/^churnkit_drift_window_customers 0$/m);
    expect(metrics).not.toMatch(/^churnkit_drift_psi\{/m);
  });

  it('refuses a drift option of the wrong shape, naming it', () => {
    expect(() => churn({ model: champion, store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT, drift: { sample: 0 } })).toThrow(/option "drift/);
    expect(() => churn({ model: champion, store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT, drift: { windw: 10 } as never })).toThrow(/option "drift/);
  });
});

describe('the drift window and minObservations', () => {
  it('gives a PSI over a window smaller than the default minObservations, once the window is full', async () => {
    const plugin = churn({ model: champion, store: memoryStore(), identify: () => null, modelFit: false, drift: { window: 100 } });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    // The training rows as a storefront sends them: typed fields, no id or label.
    const items = rows.slice(0, 150).map((row) => ({
      record: { Tenure: row.Tenure === '' ? null : row.Tenure, Complain: row.Complain === 'yes', PaymentMode: row.PaymentMode, CashbackAmount: row.CashbackAmount },
    }));
    await request(app).post('/churn/score/batch').send({ items }).expect(200);
    // Counted after the answers; a window of 100 holds 90 to 99 of them once full.
    await expect.poll(async () => (await request(app).get('/churn/drift').expect(200)).body.observations).toBeGreaterThanOrEqual(90);
    const drift = (await request(app).get('/churn/drift').expect(200)).body;
    expect(drift.minObservations).toBe(90);
    expect(drift.score.psi).not.toBeNull();
    await plugin.close();
  });

  it('counts every customer of a batch as large as batchLimit allows, dropping none although they come in one turn', async () => {
    const plugin = churn({ model: champion, store: memoryStore(), identify: () => null, modelFit: false, batchLimit: 5000, bodyLimit: '5mb', drift: { window: 10_000 } });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    const items = syntheticCustomers(5000, 9).map((row) => ({
      record: { Tenure: row.Tenure === '' ? null : row.Tenure, Complain: row.Complain === 'yes', PaymentMode: row.PaymentMode, CashbackAmount: row.CashbackAmount },
    }));
    await request(app).post('/churn/score/batch').send({ items }).expect(200);
    await expect.poll(async () => (await request(app).get('/churn/drift').expect(200)).body).toMatchObject({ observations: 5000, dropped: 0 });
    await plugin.close();
  });

  it('refuses a minObservations the window never holds once full, naming the most it can be', () => {
    const options = { model: champion, store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT };
    expect(() => churn({ ...options, drift: { window: 100, minObservations: 100 } })).toThrow(/option "drift.minObservations": 100 .*expected at most 90/);
    expect(() => churn({ ...options, drift: { window: 1000, minObservations: 200 } })).not.toThrow();
  });
});

describe('the score PSI gauge while too few customers were scored', () => {
  it('exports no sample (a 0 would read as "no drift"), as GET /drift answers a null PSI', async () => {
    const shipped = join(import.meta.dirname, '../../../models/storefront.json');
    const plugin = churn({ model: shipped, store: memoryStore(), identify: () => null, drift: { minObservations: 200 } });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    const items = generatedCustomers(40, 4).map((customer) => ({ record: customer.record }));
    await request(app).post('/churn/score/batch').send({ items }).expect(200);
    // Counted after the answers, off the response path.
    await expect.poll(async () => (await request(app).get('/churn/drift').expect(200)).body.observations).toBe(items.length);
    expect((await request(app).get('/churn/drift').expect(200)).body.score.psi).toBeNull();
    const metrics = (await request(app).get('/churn/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`^churnkit_drift_window_customers ${items.length}$`, 'm'));
    expect(metrics).not.toMatch(/^churnkit_score_drift_psi\b/m);
    expect(metrics).not.toMatch(/^churnkit_drift_psi\{/m);
    await plugin.close();
  });
});
