import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBandCutoffs } from '../../src/model/risk-band.js';
import { testModelFile } from '../plugin/test-model.js';
import { testStorefront, type TestStorefront } from '../plugin/plugin-app.js';
import { makeTempDir, runCli } from './run-cli.js';

/** Customers from just-ordered to a year gone: probabilities across every band of the test model. */
const RECORDS = Array.from({ length: 80 }, (_, i) => ({
  recency_days: i * 5,
  log_orders_total: 1 + (i % 3),
  log_refunds_total: 0,
  cart_items: i % 4,
  device: i % 2 === 0 ? 'web' : 'app',
}));

describe('risk bands: the CLI and the plugin band a customer the same way', () => {
  const dir = makeTempDir();
  let shop: TestStorefront;
  let threshold: number;

  beforeAll(async () => {
    const file = await testModelFile();
    threshold = file.metadata.threshold;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(file));
    const header = Object.keys(RECORDS[0]!);
    writeFileSync(join(dir, 'customers.csv'), [header.join(','), ...RECORDS.map((record) => Object.values(record).join(','))].join('\n'));
    shop = await testStorefront({ holdoutFraction: 0 });
  });
  afterAll(async () => {
    await shop?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with default options, in scores.csv and in POST /churn/score/batch', async () => {
    const run = runCli(['predict', '--model', 'model.json', '--data', 'customers.csv', '--out', 'scores.csv'], dir);
    expect(run.status, run.stderr).toBe(0);
    const cliRows = readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const response = await request(shop.app).post('/churn/score/batch').send({ items: RECORDS.map((record) => ({ record })) }).expect(200);
    const apiResults = response.body.results as { probability: number; band: string }[];

    const cutoffs = modelBandCutoffs(threshold);
    const compared = cliRows
      .map(([, probability, band], index) => ({ cli: { probability: Number(probability), band }, api: apiResults[index]! }))
      // The CLI prints 6 decimals and may run another engine: leave out the hair's breadth around a cut-off.
      .filter(({ api }) => Math.min(Math.abs(api.probability - cutoffs.medium), Math.abs(api.probability - cutoffs.high)) > 1e-5);
    expect(compared.map(({ api }) => api.band)).toEqual(compared.map(({ cli }) => cli.band));
    expect(new Set(compared.map(({ api }) => api.band))).toEqual(new Set(['low', 'medium', 'high']));
    // Where the plugin's former fixed cut-offs (0.3 / 0.6) disagreed with the threshold's (t/2 / t).
    expect(compared.some(({ api }) => api.probability >= threshold && api.probability < 0.6)).toBe(true);
  });
});
