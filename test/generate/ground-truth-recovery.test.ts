import { beforeAll, describe, expect, test } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { applyEvent, createCustomerState, featuresAt, type CustomerState } from '../../src/features/online-state.js';
import { createStorefront } from '../../src/generate/generate-events.js';
import type { CustomerTruth } from '../../src/generate/storefront-simulation.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { train } from '../../src/train/train.js';

const DAY_MS = 86_400_000;
const DAYS = 300;
const HORIZON_DAYS = 90;
const START_MS = Date.UTC(2025, 0, 1);
/** Features see the first 210 days; the label asks who (truly) churns by day 300. */
const CUTOFF_MS = START_MS + (DAYS - HORIZON_DAYS) * DAY_MS;

interface Customer {
  record: RawRecord;
  truth: CustomerTruth;
  churnedByHorizon: number;
  index: number;
}

/**
 * The claim of the generator: churn is driven by more than silence. Complaints, bad reviews,
 * fading engagement and coupon responses carry information, so a model on the churn features
 * recovers the ground truth clearly better than recency alone (measured: AUC 0.862 vs 0.798 over
 * everyone, 0.711 vs 0.584 over the customers still there at the cut-off). Customers are split in two
 * halves (even and odd ids): train on one, score the other.
 */
describe('a model on the churn features recovers the generated ground truth', () => {
  let customers: Customer[] = [];

  beforeAll(() => {
    const store = createStorefront({ customers: 8_000, days: DAYS, seed: 11 });
    const states = new Map<string, CustomerState>();
    for (const event of store.events()) {
      if (event.ts >= CUTOFF_MS) continue;
      let state = states.get(event.customerId);
      if (state === undefined) states.set(event.customerId, (state = createCustomerState()));
      applyEvent(state, event);
    }
    customers = store.truth().flatMap((truth, index) => {
      const state = states.get(truth.customerId);
      if (state === undefined) return [];
      const churnedByHorizon = truth.churnedMs !== null && truth.churnedMs < CUTOFF_MS + HORIZON_DAYS * DAY_MS ? 1 : 0;
      return [{ record: { ...featuresAt(state, CUTOFF_MS), churned: churnedByHorizon }, truth, churnedByHorizon, index }];
    });
  });

  async function heldOutAuc(population: Customer[], columns?: string[]): Promise<number> {
    const pick = (customer: Customer): RawRecord =>
      columns === undefined ? customer.record : Object.fromEntries([...columns, 'churned'].map((name) => [name, customer.record[name]]));
    const trainPart = population.filter((customer) => customer.index % 2 === 0);
    const testPart = population.filter((customer) => customer.index % 2 === 1);
    const { model } = await train(trainPart.map(pick), { engine: createJsEngine(), target: 'churned', model: 'logreg', seed: 3 });
    return rocAuc(testPart.map((customer) => customer.churnedByHorizon), model.predictBatch(testPart.map(pick)));
  }

  test('over every customer seen before the cut-off', async () => {
    const withFeatures = await heldOutAuc(customers);
    const recencyOnly = await heldOutAuc(customers, ['recency_days', 'days_since_last_event']);
    expect(recencyOnly).toBeGreaterThan(0.7);
    expect(withFeatures).toBeGreaterThan(recencyOnly + 0.04);
  });

  test('over the customers still there at the cut-off, where silence has not yet given churners away', async () => {
    const stillThere = customers.filter((customer) => customer.truth.churnedMs === null || customer.truth.churnedMs >= CUTOFF_MS);
    const withFeatures = await heldOutAuc(stillThere);
    const recencyOnly = await heldOutAuc(stillThere, ['recency_days', 'days_since_last_event']);
    expect(withFeatures).toBeGreaterThan(recencyOnly + 0.08);
  });
});
