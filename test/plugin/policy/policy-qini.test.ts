/**
 * The Qini curve of the policy's own ranking, from a real SQLite store's decision log: each
 * logged decision with an outcome is ranked by the uplift the policy assumed for it (its
 * trusted uplift model, else P(churn) × successRate), per action, treated against held out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../plugin/express/options.js';
import { policyQini } from '../../../plugin/policy/policy-qini.js';
import { upliftModels } from '../../../plugin/policy/uplift-models.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnStore, Decision, Group } from '../../../plugin/store/types.js';
import type { UpliftModel } from '../../../src/uplift/uplift-model.js';

const DAY = 86_400_000;
const START = Date.parse('2026-10-01T10:00:00Z');
const actions = [
  { name: 'coupon', cost: 10, successRate: 0.3 },
  { name: 'care_call', cost: 4, successRate: 0.1 },
];
const policy = resolveOptions({ model: {}, identify: () => null, policy: { actions }, holdoutFraction: 0.2 }).policy;

let dir: string;
let store: ChurnStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'churnkit-policy-qini-'));
  store = openSqliteStore({ dataDir: dir, durability: 'normal' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Logs a decision and its outcome. */
async function logged(index: number, action: string, group: Group, probability: number, retained: boolean, features?: Decision['features']) {
  const ts = START + index * 60_000;
  const decision: Decision = {
    customerId: `C${index}`, ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'v1', probability, customerValue: 100,
    group, action, cost: group === 'treatment' ? 1 : 0, expectedValues: {}, skipped: {}, explanation: '', ...(features ? { features } : {}),
  };
  expect(await store.recordDecision(decision, Number.POSITIVE_INFINITY)).toBe(true);
  await store.recordOutcome({ customerId: decision.customerId, ts: ts + 30 * DAY, retained, action, group });
}

/**
 * 200 coupon decisions, a quarter held out. Customers at high risk (P(churn) 0.8) leave unless
 * treated; at low risk (0.1) they stay whatever is done: a coupon only changes the risky ones.
 */
async function riskyCustomersRespond(features = false) {
  for (let index = 0; index < 200; index++) {
    const risky = index % 2 === 0;
    const group: Group = index % 4 === 1 || index % 4 === 2 ? (index % 8 < 4 ? 'holdout' : 'treatment') : 'treatment';
    await logged(index, 'coupon', group, risky ? 0.8 : 0.1, risky ? group === 'treatment' : true, features ? { responsive: risky ? 0 : 1 } : undefined);
  }
}

describe("the Qini curve of the policy's ranking", () => {
  it('ranks by P(churn) × successRate without an uplift model, and finds the customers the action changes', async () => {
    await riskyCustomersRespond();
    const [coupon, care] = (await policyQini(store, policy, { resamples: 50 }))!;
    expect(coupon).toMatchObject({ action: 'coupon', basis: 'expected-value' });
    expect(coupon!.treated + coupon!.heldOut).toBe(200);
    const evaluation = coupon!.evaluation!;
    expect(evaluation.share).toHaveLength(21);
    // Acting on the risky half only reaches the whole effect: the curve peaks at 50 %.
    const half = evaluation.qini[10]!;
    expect(half).toBeCloseTo(evaluation.qini[20]!, 9);
    expect(half).toBeGreaterThan(0.4);
    expect(evaluation.coefficient).toBeGreaterThan(0);
    expect(evaluation.bands.coefficient.low).toBeGreaterThan(0);
    // No care calls logged: no curve, and the counts say why.
    expect(care).toMatchObject({ action: 'care_call', treated: 0, heldOut: 0, evaluation: null });
  });

  it("ranks by a trusted uplift model's prediction on the logged features, and a model ranking backwards shows below random", async () => {
    await riskyCustomersRespond(true);
    // Predicts the opposite of the truth: high uplift for the customers a coupon never changes.
    const backwards: UpliftModel = {
      action: 'coupon', method: 't-learner', decisions: 5000, holdoutDecisions: 1000, versions: ['test'], inputs: [],
      uplift: (features) => Number(features.responsive),
    };
    const withModel = { ...policy, uplift: { models: upliftModels([backwards]).byAction, minDecisions: 500 } };
    const [coupon] = (await policyQini(store, withModel, { resamples: 50 }))!;
    expect(coupon!.basis).toBe('uplift');
    expect(coupon!.evaluation!.coefficient).toBeLessThan(0);
    expect(coupon!.evaluation!.bands.coefficient.high).toBeLessThan(0);
  });

  it('draws no curve until each arm has enough decisions with outcomes', async () => {
    for (let index = 0; index < 30; index++) await logged(index, 'coupon', index < 25 ? 'treatment' : 'holdout', 0.5, true);
    const [coupon] = (await policyQini(store, policy))!;
    expect(coupon).toMatchObject({ treated: 25, heldOut: 5, evaluation: null });
  });

  it('says there is nothing to draw for a store that cannot read its decision log', async () => {
    const requestPathOnly: ChurnStore = { ...store, decisionLog: undefined };
    expect(await policyQini(requestPathOnly, policy)).toBeNull();
  });
});
