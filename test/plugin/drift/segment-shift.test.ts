/**
 * Drift, as a storefront meets it (issue 13, item 4): a model trained on one generated store,
 * then live traffic from another store of the same world, scored through the plugin's routes.
 * A shifted segment mix (mostly loyal customers) must read as drift (PSI > 0.25) on the
 * features the segments drive, and as stable (PSI < 0.1) on those they do not; the same mix
 * must read as stable everywhere.
 */
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { churn } from '../../../plugin/express/index.js';
import { churnHandler } from '../../../plugin/fetch/index.js';
import type { DriftReport } from '../../../plugin/drift/drift-monitor.js';
import { memoryStore } from '../../../plugin/store/memory-store.js';
import type { ChurnModel } from '../../../src/model/churn-model.js';
import { loadEngine } from '../../../src/node/index.js';
import { train } from '../../../src/train/train.js';
import { generatedCustomers, segmentMix, type GeneratedCustomer } from './segment-shift-store.js';

/** The generator's shares (src/generate/segments.ts), 1,000 customers. */
const NATURAL_MIX = { loyal: 180, regular: 320, deal_seeker: 200, occasional: 300 };
/** Mostly loyal customers: the store's marketing started to reach only its fans. */
const SHIFTED_MIX = { loyal: 400, regular: 120, deal_seeker: 40, occasional: 40 };

/** What the segments set apart (docs/generator.md): how often they visit and buy, and at what price. */
const MOVED = ['log_orders_total', 'log_revenue_total', 'log_order_days', 'log_items_total', 'log_sessions_total', 'log_events_30d', 'log_avg_order_value'];
/** What every segment shares: sign-up over the same months, no coupons without a campaign, email opens, refunds and tickets at similar rates. */
const UNMOVED = ['tenure_days', 'log_coupons_total', 'log_email_opens_30d', 'log_refunds_total', 'log_support_tickets_total'];

let model: ChurnModel;
let live: GeneratedCustomer[];

beforeAll(async () => {
  const training = generatedCustomers(3000, 1);
  live = generatedCustomers(3000, 2);
  ({ model } = await train(
    training.map((customer) => ({ ...customer.record, churned: customer.churned })),
    { engine: await loadEngine(), target: 'churned', model: 'logreg', epochs: 30, seed: 3 },
  ));
}, 120_000);

function psiOf(report: DriftReport, feature: string): number {
  const entry = report.features.find((candidate) => candidate.feature === feature);
  if (entry?.psi == null) throw new Error(`no PSI for ${feature}`);
  return entry.psi;
}

function batches(customers: readonly GeneratedCustomer[]): { items: { record: GeneratedCustomer['record'] }[] }[] {
  const items = customers.map((customer) => ({ record: customer.record }));
  return [items.slice(0, 500), items.slice(500)].filter((batch) => batch.length > 0).map((batch) => ({ items: batch }));
}

describe('a shifted segment mix, through the Express plugin', () => {
  let report: DriftReport;
  let metrics: string;

  beforeAll(async () => {
    const plugin = churn({ model, store: memoryStore(), identify: () => null });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    for (const body of batches(segmentMix(live, SHIFTED_MIX))) await request(app).post('/churn/score/batch').send(body).expect(200);
    report = (await request(app).get('/churn/drift').expect(200)).body;
    metrics = (await request(app).get('/churn/metrics').expect(200)).text;
  }, 60_000);

  it('counts every customer scored, against the serving model', () => {
    expect(report).toMatchObject({ available: true, modelVersion: model.version, observations: 600, dropped: 0, bands: { watch: 0.1, act: 0.25 } });
  });

  it.each(MOVED)('reads %s, which the segments drive, as drift to act on (PSI > 0.25)', (feature) => {
    expect(psiOf(report, feature)).toBeGreaterThan(0.25);
    expect(report.features.find((entry) => entry.feature === feature)!.band).toBe('act');
  });

  it.each(UNMOVED)('reads %s, which the segments share, as stable (PSI < 0.1)', (feature) => {
    expect(psiOf(report, feature)).toBeLessThan(0.1);
  });

  it('sees the scores move too: loyal customers churn less', () => {
    expect(report.score!.psi).toBeGreaterThan(0.25);
    const lowest = report.score!.bins[0]!;
    expect(lowest.actual).toBeGreaterThan(lowest.expected);
  });

  it('lists the features largest PSI first, each bin with its reference and live share', () => {
    const values = report.features.map((entry) => entry.psi!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const orders = report.features.find((entry) => entry.feature === 'log_orders_total')!;
    expect(orders.bins.at(-1)!.label).toBe('missing');
    expect(orders.bins.reduce((sum, bin) => sum + bin.expected, 0)).toBeCloseTo(1, 3);
    expect(orders.bins.reduce((sum, bin) => sum + bin.actual, 0)).toBeCloseTo(1, 3);
  });

  it('exports the same figures as Prometheus gauges', () => {
    const gauge = (line: RegExp) => Number(line.exec(metrics)?.[1]);
    expect(gauge(/^churnkit_drift_psi\{feature="log_orders_total"\} (\S+)$/m)).toBeCloseTo(psiOf(report, 'log_orders_total'), 4);
    expect(gauge(/^churnkit_drift_psi\{feature="tenure_days"\} (\S+)$/m)).toBeCloseTo(psiOf(report, 'tenure_days'), 4);
    expect(gauge(/^churnkit_score_drift_psi (\S+)$/m)).toBeCloseTo(report.score!.psi!, 4);
    expect(gauge(/^churnkit_drift_window_customers (\S+)$/m)).toBe(600);
  });
});

describe('the same segment mix, through the fetch handler', () => {
  it('reads every feature and the score as stable', async () => {
    const handler = churnHandler({ model, store: memoryStore() });
    await handler.ready();
    for (const body of batches(segmentMix(live, NATURAL_MIX))) {
      const response = await handler.fetch(new Request('http://shop.test/churn/score/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(response.status).toBe(200);
    }
    const report = (await (await handler.fetch(new Request('http://shop.test/churn/drift'))).json()) as DriftReport;
    expect(report.observations).toBe(1000);
    const unstable = report.features.filter((entry) => !(entry.psi! < 0.1)).map((entry) => `${entry.feature} ${entry.psi}`);
    expect(unstable).toEqual([]);
    expect(report.score!.psi).toBeLessThan(0.1);
  });
});
