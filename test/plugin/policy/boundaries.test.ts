/**
 * The edges of the policy's rules, each pinned exactly: a cooldown that has just run out, a
 * past decision on the first instant of the cap window, an action worth exactly nothing, a
 * feature that is not a number, a customer-value hook that answers garbage, and the budget's
 * known refusals with an action that still fits. Every clock here is a fixed instant.
 */
import { describe, expect, it } from 'vitest';
import { createBudgetRefusals } from '../../../plugin/policy/budget-refusals.js';
import { decide, safeCustomerValue, type PolicySettings } from '../../../plugin/policy/decide.js';
import { failedRule } from '../../../plugin/policy/eligibility.js';
import type { ActionSpec } from '../../../plugin/policy/expected-value.js';
import { explorationPick } from '../../../plugin/policy/exploration.js';
import { rankActions } from '../../../plugin/policy/rank-actions.js';
import type { ChurnStore, Decision } from '../../../plugin/store/types.js';
import { action, DAY, NOW, pastDecision } from './policy-fixtures.js';

const TODAY = '2026-11-23';

const names = (candidates: readonly { action: ActionSpec }[]) => candidates.map((candidate) => candidate.action.name);

describe('ranking at the edges of its rules', () => {
  const base = { customerValue: 100, features: {}, history: [], capWindowMs: 30 * DAY, now: NOW };
  // 0.6 x 100 x 0.3 - 5 = 13: pays, so only the rule under test can rule it out.
  const coupon = action('coupon', 5, 0.3);

  it('allows an action again the very millisecond its cooldown has run out, not one millisecond before', () => {
    // The cooldown is "no repeat within cooldownMs": a full cooldown since the last issue is enough.
    const atEnd = rankActions({ ...base, history: [pastDecision('coupon', NOW - 7 * DAY)], actions: [coupon], churnProbability: 0.6 });
    expect(names(atEnd.candidates)).toEqual(['coupon']);
    expect(atEnd.skipped).toEqual({});
    const justBefore = rankActions({ ...base, history: [pastDecision('coupon', NOW - 7 * DAY + 1)], actions: [coupon], churnProbability: 0.6 });
    expect(justBefore.candidates).toEqual([]);
    expect(justBefore.skipped.coupon).toMatch(/^cooldown: /);
  });

  it('counts toward the cap a past decision made exactly when the cap window starts, but not one a millisecond earlier', () => {
    // No cooldown, so the cap alone decides. The window is [now - capWindowMs, now].
    const once = action('coupon', 5, 0.3, { cooldownMs: 0, maxPerCustomer: 1 });
    const atStart = rankActions({ ...base, history: [pastDecision('coupon', NOW - 30 * DAY)], actions: [once], churnProbability: 0.6 });
    expect(atStart.candidates).toEqual([]);
    expect(atStart.skipped.coupon).toBe('cap: already issued 1 of 1');
    const before = rankActions({ ...base, history: [pastDecision('coupon', NOW - 30 * DAY - 1)], actions: [once], churnProbability: 0.6 });
    expect(names(before.candidates)).toEqual(['coupon']);
    // The reason counts what the window holds, not every coupon the customer ever had.
    const both = rankActions({ ...base, history: [pastDecision('coupon', NOW - 30 * DAY - 1), pastDecision('coupon', NOW - 30 * DAY)], actions: [once], churnProbability: 0.6 });
    expect(both.skipped.coupon).toBe('cap: already issued 1 of 1');
  });

  it('does not make a candidate of an action worth exactly 0, though the customer may receive it', () => {
    // 0.5 x 100 x 0.1 - 5 is exactly 0 in floating point: the action breaks even, and "none" is just as good for free.
    const evenMoney = action('even', 5, 0.1);
    const ranking = rankActions({ ...base, actions: [evenMoney], churnProbability: 0.5 });
    expect(ranking.expectedValues.even).toBe(0);
    expect(ranking.candidates).toEqual([]);
    // Still allowed (exploration may draw it): just not paying.
    expect(names(ranking.allowed)).toEqual(['even']);
  });
});

describe('eligibility on a feature that is not a number', () => {
  // Only an upper bound: NaN > 0 and undefined > 0 are both false, so a rule that merely compared would pass them.
  const rule = [{ feature: 'log_refunds_total', atMost: 0 }];

  it('fails an upper-bound rule when the feature is NaN, missing or -Infinity: eligibility must be proven', () => {
    expect(failedRule(rule, { log_refunds_total: Number.NaN })).toBe('ineligible: log_refunds_total is unknown');
    expect(failedRule(rule, {})).toBe('ineligible: log_refunds_total is unknown');
    expect(failedRule(rule, { log_refunds_total: -Infinity })).toBe('ineligible: log_refunds_total is unknown');
    expect(failedRule(rule, { log_refunds_total: '0' })).toBe('ineligible: log_refunds_total is unknown');
    expect(failedRule(rule, { log_refunds_total: 0 })).toBeNull();
  });

  it('keeps a guarded action from a customer whose feature is NaN', () => {
    const guarded = action('coupon', 5, 0.3, { eligibility: rule });
    const ranking = rankActions({
      actions: [guarded], churnProbability: 0.6, customerValue: 100, features: { log_refunds_total: Number.NaN },
      history: [], capWindowMs: 30 * DAY, now: NOW,
    });
    expect(ranking.candidates).toEqual([]);
    expect(ranking.allowed).toEqual([]);
    expect(ranking.skipped.coupon).toBe('ineligible: log_refunds_total is unknown');
  });
});

/** A store that accepts a decision when `accepts` says so, and lists what it was asked to record. */
function recordingStore(accepts: (decision: Decision) => boolean = () => true): { store: ChurnStore; asked: string[] } {
  const asked: string[] = [];
  const store = {
    decisionsSince: async () => [],
    recordDecision: async (decision: Decision) => {
      asked.push(decision.action!);
      return accepts(decision);
    },
    spent: async () => {
      throw new Error('a treatment decision never reads the spend');
    },
  } as unknown as ChurnStore;
  return { store, asked };
}

const policy = (overrides: Partial<PolicySettings> = {}): PolicySettings => ({
  actions: [action('coupon', 5, 0.3), action('care', 1, 0.1)],
  capWindowMs: 30 * DAY,
  dailyBudget: 400,
  holdoutFraction: 0,
  holdoutSalt: 'test',
  customerValue: () => 100,
  ...overrides,
});

const input = { customerId: 'c1', churnProbability: 0.8, features: {}, modelVersion: 'v', now: NOW, history: [] };
const direct = <T>(work: Promise<T>) => work;

describe('a customer-value hook that answers garbage', () => {
  it('values the customer at 0 when the hook returns Infinity, NaN or a negative number', () => {
    for (const garbage of [Infinity, -Infinity, Number.NaN, -5]) {
      expect(safeCustomerValue(policy({ customerValue: () => garbage }), {}), String(garbage)).toBe(0);
    }
    expect(safeCustomerValue(policy({ customerValue: () => 250 }), {})).toBe(250);
  });

  it('issues nothing and logs a value of 0 for a customer the hook values at Infinity, rather than counting every action as paying', async () => {
    // An infinite value would make P x value x rate infinite for every action (a coupon for
    // everyone, were the expected value not guarded too), and would be logged as a value no
    // report can sum: the customer counts as worth 0, so only the costs remain.
    const { store, asked } = recordingStore();
    const result = await decide(policy({ customerValue: () => Infinity }), store, input, direct);
    expect(result.action).toBeNull();
    expect(result.decision.customerValue).toBe(0);
    expect(result.decision.expectedValues).toEqual({ none: 0, coupon: -5, care: -1 });
    expect(asked).toEqual([]);
  });
});

describe('the budget when some actions no longer fit', () => {
  // coupon: 0.8 x 100 x 0.5 - 10 = 30, care: 0.8 x 100 x 0.1 - 1 = 7. Both pay; coupon is better.
  const dear = policy({ actions: [action('coupon', 10, 0.5), action('care', 1, 0.1)] });

  it('still issues a cheaper paying action when the store already refused the dearer one today', async () => {
    // The store refused a cost of 10 today: any cost >= 10 is known not to fit, a cost of 1 may still.
    const refusals = createBudgetRefusals();
    refusals.remember(TODAY, 10, 400);
    const { store, asked } = recordingStore();
    const result = await decide(dear, store, input, direct, refusals);
    expect(result.action).toEqual({ name: 'care', cost: 1, expectedValue: expect.closeTo(7, 10) });
    expect(result.decision.skipped.coupon).toBe(`budget: 400 for ${TODAY} would be exceeded`);
    // The known refusal is not asked again: only the action that may fit goes to the store.
    expect(asked).toEqual(['care']);
  });

  it('skips the store altogether when every paying action costs at least what it already refused', async () => {
    const refusals = createBudgetRefusals();
    refusals.remember(TODAY, 1, 400);
    const { store, asked } = recordingStore();
    const result = await decide(dear, store, input, direct, refusals);
    expect(result.action).toBeNull();
    expect(result.decision.skipped).toEqual({ coupon: `budget: 400 for ${TODAY} would be exceeded`, care: `budget: 400 for ${TODAY} would be exceeded` });
    expect(asked).toEqual([]);
  });

  it('issues the best paying action that still fits when the budget refuses the explored one', async () => {
    // letter never pays (0.8 x 100 x 0.01 - 50 < 0) and costs more than the day has left; coupon and care pay.
    const actions = [action('letter', 50, 0.01), action('coupon', 5, 0.3), action('care', 1, 0.1)];
    const exploration = { rate: 1, salt: 'explore' };
    // The customer whose exploration draw lands on letter (index 0 of the three allowed actions), found the same way on every run.
    const customerId = Array.from({ length: 100 }, (_, n) => `c${n}`).find((id) => explorationPick(exploration, id, TODAY, 3) === 0);
    expect(customerId).toBeDefined();
    // The store's atomic budget check: 20 left today.
    const { store, asked } = recordingStore((decision) => decision.cost <= 20);
    const result = await decide(policy({ actions, exploration }), store, { ...input, customerId: customerId! }, direct);
    expect(asked).toEqual(['letter', 'coupon']);
    expect(result.action).toEqual({ name: 'coupon', cost: 5, expectedValue: expect.closeTo(19, 10) });
    expect(result.decision.skipped.letter).toBe(`budget: 400 for ${TODAY} would be exceeded`);
    expect(result.decision.explored).toBeUndefined();
  });
});
