import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { summariseCustomers } from '../../src/bgnbd/customer-summary.js';
import { expectedPurchases } from '../../src/bgnbd/expected-purchases.js';
import { fitBgNbd } from '../../src/bgnbd/fit-bgnbd.js';
import { readEvents } from '../../src/events/read-events.node.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { sharedDataset } from '../support/requirement.js';

const cdnow = sharedDataset('cdnow');
const dir = cdnow.path;
/** Calibration period of Fader, Hardie & Lee (2005): through 1997-09-30, so the cut-off is the next midnight. */
const CUTOFF = Date.UTC(1997, 9, 1);

function expectWithinRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!cdnow.met)(cdnow.title('BG/NBD on the CDNOW data'), () => {
  test('reproduces the published fit on the 1/10 sample: parameters within 0.5 %, log-likelihood within 0.1', async () => {
    const summaries = await summariseCustomers(readEvents(join(dir, 'CDNOW_sample.txt'), { format: 'cdnow', strict: true }), CUTOFF);
    const fit = fitBgNbd(summaries);

    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2_357);
    expectWithinRelative(fit.r, 0.2426, 0.005);
    expectWithinRelative(fit.alpha, 4.4136, 0.005);
    expectWithinRelative(fit.a, 0.7929, 0.005);
    expectWithinRelative(fit.b, 2.4259, 0.005);
    expect(Math.abs(fit.logLikelihood - -9582.43)).toBeLessThan(0.1);
  });

  test('matches the dataset README on all 23,570 customers of the master file (r = 0.2516, alpha = 4.789, a = 0.7234, b = 2.161)', async () => {
    const events: ChurnEvent[] = [];
    for await (const event of readEvents(join(dir, 'CDNOW_master.txt'), { format: 'cdnow', strict: true })) events.push(event);
    const summaries = await summariseCustomers(events, CUTOFF);
    const fit = fitBgNbd(summaries);

    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(23_570);
    expectWithinRelative(fit.r, 0.2516, 0.005);
    expectWithinRelative(fit.alpha, 4.789, 0.005);
    expectWithinRelative(fit.a, 0.7234, 0.005);
    expectWithinRelative(fit.b, 2.161, 0.005);

    // As a churn score (churned = no purchase in the 39-week holdout), expected holdout purchases
    // reach the README's ROC AUC 0.763 (recency alone: 0.759).
    const buyersInHoldout = new Set(events.filter((event) => event.ts >= CUTOFF).map((event) => event.customerId));
    const churned = summaries.map((summary) => (buyersInHoldout.has(summary.customerId) ? 0 : 1));
    const auc = rocAuc(churned, summaries.map((summary) => -expectedPurchases(fit, summary, 39)));
    expect(Math.abs(auc - 0.763)).toBeLessThan(0.003);
  });
});
