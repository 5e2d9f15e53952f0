/**
 * The shipped model (models/storefront.json) measures drift like any model `train` writes now:
 * its file keeps the reference of its 15,362 training rows (added by
 * models/add-storefront-reference.sh without touching the weights), the embedded copy the
 * edge imports is the same file, and the plugin serving it reports a PSI per input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { churn } from '../../../plugin/express/index.js';
import { memoryStore } from '../../../plugin/store/memory-store.js';
import { requireFreshDist } from '../../support/fresh-build.js';
import { generatedCustomers } from './segment-shift-store.js';

const SHIPPED = join(import.meta.dirname, '../../../models/storefront.json');

describe('the shipped model\'s drift reference', () => {
  const file = JSON.parse(readFileSync(SHIPPED, 'utf8')) as {
    version: string;
    featureSpec: { columns: { name: string }[] };
    metadata: { rows: number; reference?: { rows: number; columns: { name: string; shares: number[] }[]; score: { shares: number[] } } };
  };

  it('covers every input and the score over the training rows', () => {
    const reference = file.metadata.reference!;
    expect(reference.rows).toBe(file.metadata.rows);
    expect(reference.columns.map((column) => column.name)).toEqual(file.featureSpec.columns.map((column) => column.name));
    // Deciles of the model's own training scores: each tenth of the rows, to rounding.
    for (const share of reference.score.shares) expect(share).toBeCloseTo(0.1, 2);
  });

  it('is in the embedded copy too (churnkit/models), the same file', async () => {
    requireFreshDist();
    const { storefrontModelText } = (await import('../../../dist/models/index.js')) as { storefrontModelText: string };
    // Embedded at build time (scripts/embed-models.ts): after the file changes, "npm run build" embeds it again.
    expect(JSON.parse(storefrontModelText)).toEqual(file);
  });

  it('gives the plugin serving it a PSI for the score and every input', async () => {
    const plugin = churn({ model: SHIPPED, store: memoryStore(), identify: () => null });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    const items = generatedCustomers(300, 4).map((customer) => ({ record: customer.record }));
    await request(app).post('/churn/score/batch').send({ items }).expect(200);
    type Report = { available: boolean; observations: number; score: { psi: number }; features: { psi: number | null }[] };
    const drift = async () => (await request(app).get('/churn/drift').expect(200)).body as Report;
    // Counted after the answers, off the response path.
    expect(items.length).toBeGreaterThan(200);
    await expect.poll(async () => (await drift()).observations).toBe(items.length);
    const report = await drift();
    expect(report.available).toBe(true);
    expect(Number.isFinite(report.score.psi)).toBe(true);
    expect(report.features).toHaveLength(file.featureSpec.columns.length);
    expect(report.features.every((entry) => entry.psi !== null && Number.isFinite(entry.psi))).toBe(true);
    await plugin.close();
  });
});
