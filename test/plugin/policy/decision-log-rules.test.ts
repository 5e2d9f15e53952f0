/**
 * What the policy's readers of the decision log count and leave out, on small hand-built logs:
 * the uplift learning rows (loggedObservations), the Qini evaluation per action (policyQini),
 * and the uplift models' wrapper (upliftModels / isUpliftModels).
 */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../plugin/express/options.js';
import { loggedObservations } from '../../../plugin/policy/logged-observations.js';
import { policyQini } from '../../../plugin/policy/policy-qini.js';
import { isUpliftModels, upliftModels } from '../../../plugin/policy/uplift-models.js';
import type { ChurnStore, Decision, Group, LoggedDecision } from '../../../plugin/store/types.js';
import type { UpliftModel } from '../../../src/uplift/uplift-model.js';
import { NOW, pastDecision } from './policy-fixtures.js';

function logOf(entries: LoggedDecision[]): ChurnStore {
  return {
    async *decisionLog() {
      yield* entries;
    },
  } as unknown as ChurnStore;
}

function logged(customerId: string, ts: number, action: string | null, group: Group, retained: boolean | null, features: Decision['features'] | null = { x: 1 }, probability = 0.5): LoggedDecision {
  const decision: Decision = { ...pastDecision(action ?? 'none', ts), customerId, action, group, probability, ...(features === null ? {} : { features }) };
  return { decision, outcome: retained === null ? null : { ts: ts + 1, retained } };
}

describe('the uplift learning rows from the decision log', () => {
  it('counts decisions without an outcome and without features apart, and learns from neither nor from "no action"', async () => {
    const store = logOf([
      logged('a', NOW, 'coupon', 'treatment', true),
      logged('b', NOW, 'coupon', 'holdout', null),
      // No outcome and no features: it counts as waiting for its outcome, the first thing it lacks.
      logged('c', NOW, 'coupon', 'treatment', null, null),
      logged('d', NOW, 'coupon', 'holdout', false, null),
      logged('e', NOW, null, 'treatment', true),
    ]);
    const result = await loggedObservations(store);
    expect(result.withoutOutcome).toBe(2);
    expect(result.withoutFeatures).toBe(1);
    expect(result.observations).toEqual([{ customerId: 'a', ts: NOW, action: 'coupon', treated: true, retained: true, features: { x: 1 } }]);
  });

  it('gives the rows oldest decision first, customers in id order at the same instant', async () => {
    const store = logOf([
      logged('b', NOW + 5, 'coupon', 'treatment', true),
      logged('z', NOW, 'coupon', 'holdout', true),
      logged('a', NOW, 'coupon', 'treatment', false),
      logged('c', NOW + 1, 'coupon', 'treatment', true),
    ]);
    const { observations } = await loggedObservations(store);
    expect(observations.map((row) => `${row.customerId}@${row.ts - NOW}`)).toEqual(['a@0', 'z@0', 'c@1', 'b@5']);
  });

  it('names the store that cannot read its decision log back', async () => {
    await expect(loggedObservations({} as ChurnStore)).rejects.toMatchObject({ code: 'STORE_NO_DECISION_LOG' });
  });
});

const policy = resolveOptions({ model: {}, identify: () => null, policy: { actions: [{ name: 'coupon', cost: 10, successRate: 0.3 }] }, holdoutFraction: 0.2 }).policy;

/** `treated` treated and `heldOut` held-out coupon decisions with outcomes, the treated retained more often. */
function arms(treated: number, heldOut: number, features: (index: number) => Decision['features'] | null = () => null): LoggedDecision[] {
  return Array.from({ length: treated + heldOut }, (_, index) => {
    const isTreated = index < treated;
    return logged(`c${index}`, NOW + index, 'coupon', isTreated ? 'treatment' : 'holdout', isTreated ? index % 3 !== 0 : index % 2 === 0, features(index), (index % 10) / 10);
  });
}

describe('the Qini evaluation of the policy\'s ranking', () => {
  it('draws a curve once each arm has exactly minPerArm decisions with outcomes, not one fewer', async () => {
    const [enough] = (await policyQini(logOf(arms(5, 5)), policy, { minPerArm: 5, resamples: 10 }))!;
    expect(enough).toMatchObject({ treated: 5, heldOut: 5 });
    expect(enough!.evaluation).not.toBeNull();
    const [short] = (await policyQini(logOf(arms(5, 4)), policy, { minPerArm: 5, resamples: 10 }))!;
    expect(short!.evaluation).toBeNull();
  });

  it('leaves out decisions of an action the policy no longer has', async () => {
    const entries = [...arms(3, 3), logged('old', NOW + 100, 'retired_voucher', 'treatment', true)];
    const qini = (await policyQini(logOf(entries), policy, { minPerArm: 50 }))!;
    expect(qini.map((row) => [row.action, row.treated, row.heldOut])).toEqual([['coupon', 3, 3]]);
  });

  it('leaves out decisions still waiting for their outcome', async () => {
    const entries = [...arms(3, 3), logged('late', NOW + 100, 'coupon', 'treatment', null)];
    const [coupon] = (await policyQini(logOf(entries), policy, { minPerArm: 50 }))!;
    expect(coupon).toMatchObject({ treated: 3, heldOut: 3, evaluation: null });
  });

  it('says "expected-value" for an action without decisions, and "mixed" when a trusted model ranked only some', async () => {
    const [none] = (await policyQini(logOf([]), policy))!;
    expect(none).toMatchObject({ action: 'coupon', basis: 'expected-value', treated: 0, heldOut: 0, evaluation: null });
    const model: UpliftModel = { action: 'coupon', method: 't-learner', decisions: 5000, holdoutDecisions: 1000, versions: ['test'], inputs: ['x'], uplift: (features) => Number(features.x) };
    const withModel = { ...policy, uplift: { models: upliftModels([model]).byAction, minDecisions: 500 } };
    // Decisions logged with features are ranked by the model, those without by P(churn) × successRate.
    const [mixed] = (await policyQini(logOf(arms(3, 3, (index) => (index % 2 === 0 ? { x: index } : null))), withModel, { minPerArm: 50 }))!;
    expect(mixed!.basis).toBe('mixed');
    const [byModel] = (await policyQini(logOf(arms(3, 3, (index) => ({ x: index }))), withModel, { minPerArm: 50 }))!;
    expect(byModel!.basis).toBe('uplift');
  });

  it('defaults to 200 resamples with seed 1', async () => {
    const log = arms(25, 25);
    const defaults = await policyQini(logOf(log), policy);
    const explicit = await policyQini(logOf(log), policy, { minPerArm: 20, resamples: 200, seed: 1, points: 21 });
    expect(defaults).toEqual(explicit);
  });
});

describe('the uplift models\' wrapper', () => {
  const model = (action: string): UpliftModel => ({ action, method: 't-learner', decisions: 10, holdoutDecisions: 5, versions: ['v'], inputs: [], uplift: () => 0 });

  it('keys every model by its action', () => {
    const wrapped = upliftModels([model('coupon'), model('care_call')]);
    expect([...wrapped.byAction.keys()]).toEqual(['coupon', 'care_call']);
  });

  it('recognises only what upliftModels built: not null, not a look-alike object', () => {
    expect(isUpliftModels(upliftModels([]))).toBe(true);
    expect(isUpliftModels(null)).toBe(false);
    expect(isUpliftModels({ byAction: new Map() })).toBe(false);
    expect(isUpliftModels(JSON.parse('{"churnkit.upliftModels": true, "byAction": {}}'))).toBe(false);
  });
});
