import { describe, expect, it } from 'vitest';
import { failedRule } from '../../../plugin/policy/eligibility.js';
import { expectedValue, type ActionSpec } from '../../../plugin/policy/expected-value.js';
import { explainDecision } from '../../../plugin/policy/explanation.js';
import { assignGroup, holdoutPosition } from '../../../plugin/policy/holdout.js';
import { rankActions } from '../../../plugin/policy/rank-actions.js';
import type { Decision } from '../../../plugin/store/types.js';
import { action, DAY, NOW, pastDecision } from './policy-fixtures.js';

const coupon = action('coupon', 5, 0.3);
const care = action('care', 2, 0.1);

describe('expected value', () => {
  it('is P(churn) x customer value x success rate - cost', () => {
    expect(expectedValue(0.5, 40, 0.3, 2)).toBeCloseTo(4, 12);
    expect(expectedValue(0.1, 100, 0.2, 5)).toBeCloseTo(-3, 12);
  });

  it('never returns NaN: a non-finite product counts as not paying', () => {
    expect(expectedValue(Number.NaN, 100, 0.2, 5)).toBe(-5);
  });
});

describe('ranking actions', () => {
  const base = { customerValue: 100, features: {}, history: [], capWindowMs: 30 * DAY, now: NOW };

  it('orders paying actions by expected value, with every EV logged and "none" at 0', () => {
    // coupon: 0.6*100*0.3-5 = 13, care: 0.6*100*0.1-2 = 4
    const ranking = rankActions({ ...base, actions: [care, coupon], churnProbability: 0.6 });
    expect(ranking.candidates.map((candidate) => candidate.action.name)).toEqual(['coupon', 'care']);
    expect(ranking.expectedValues.coupon).toBeCloseTo(13, 10);
    expect(ranking.expectedValues.care).toBeCloseTo(4, 10);
    expect(ranking.expectedValues.none).toBe(0);
  });

  it('chooses nothing when no action pays', () => {
    // coupon: 0.1*100*0.3-5 = -2, care: 0.1*100*0.1-2 = -1
    const ranking = rankActions({ ...base, actions: [coupon, care], churnProbability: 0.1 });
    expect(ranking.candidates).toEqual([]);
  });

  it('skips an action within its cooldown and allows it again after', () => {
    const history = [pastDecision('coupon', NOW - 3 * DAY)];
    const during = rankActions({ ...base, history, actions: [coupon, care], churnProbability: 0.6 });
    expect(during.candidates.map((candidate) => candidate.action.name)).toEqual(['care']);
    expect(during.skipped.coupon).toBe('cooldown: last issued 3 days ago, cooldown 7 days');
    const after = rankActions({ ...base, history, now: NOW + 5 * DAY, actions: [coupon, care], churnProbability: 0.6 });
    expect(after.candidates[0]!.action.name).toBe('coupon');
  });

  it('skips an action once the customer has reached its cap within the window', () => {
    const capped = action('coupon', 5, 0.3, { cooldownMs: 0, maxPerCustomer: 2 });
    const history = [pastDecision('coupon', NOW - 20 * DAY), pastDecision('coupon', NOW - 10 * DAY)];
    const ranking = rankActions({ ...base, history, actions: [capped], churnProbability: 0.6 });
    expect(ranking.skipped.coupon).toBe('cap: already issued 2 of 2');
    const outsideWindow = rankActions({ ...base, history, capWindowMs: 15 * DAY, actions: [capped], churnProbability: 0.6 });
    expect(outsideWindow.candidates).toHaveLength(1);
  });

  it('applies eligibility rules to the customer features', () => {
    const guarded = action('coupon', 5, 0.3, { eligibility: [{ feature: 'log_refunds_total', atMost: 0 }] });
    const refunded = rankActions({ ...base, features: { log_refunds_total: 0.69 }, actions: [guarded], churnProbability: 0.6 });
    expect(refunded.skipped.coupon).toBe('ineligible: 1 refund so far (rule: log_refunds_total <= 0)');
    const clean = rankActions({ ...base, features: { log_refunds_total: 0 }, actions: [guarded], churnProbability: 0.6 });
    expect(clean.candidates).toHaveLength(1);
  });
});

describe('eligibility rules', () => {
  it('fails a rule on a missing feature rather than passing it', () => {
    expect(failedRule([{ feature: 'tenure_days', atLeast: 30 }], {})).toBe('ineligible: tenure_days is unknown');
  });

  it('checks lower bounds', () => {
    expect(failedRule([{ feature: 'tenure_days', atLeast: 30 }], { tenure_days: 10 })).toBe(
      'ineligible: customer for 10 days (rule: tenure_days >= 30)',
    );
    expect(failedRule([{ feature: 'tenure_days', atLeast: 30 }], { tenure_days: 30 })).toBeNull();
  });

  it('names a feature it has no words for with its value rounded like every other number, never all its digits', () => {
    expect(failedRule([{ feature: 'Complain', atMost: 0.5 }], { Complain: 0.6931471805599453 })).toBe(
      'ineligible: Complain = 0.69 (rule: Complain <= 0.50)',
    );
  });
});

describe('decision explanation', () => {
  it('ranks the allowed options best first, as in "coupon: EV 4.10 > care 2.30 > none"', () => {
    expect(explainDecision({ none: 0, coupon: 4.1, care: 2.3 }, {}, 'treatment')).toBe('coupon: EV 4.10 > care 2.30 > none');
  });

  it('puts "none" first when nothing pays, and lists skipped actions with their reason', () => {
    expect(explainDecision({ none: 0, coupon: -2, care: 3 }, { care: 'cooldown: x' }, 'treatment')).toBe(
      'none > coupon -2.00; skipped care (cooldown: x)',
    );
  });

  it('says a hold-out decision issued nothing', () => {
    expect(explainDecision({ none: 0, coupon: 4.1 }, {}, 'holdout')).toBe('holdout, nothing issued; would be coupon: EV 4.10 > none');
  });
});

describe('hold-out assignment', () => {
  it('is sticky: the same customer always lands in the same group', () => {
    for (let i = 0; i < 50; i++) {
      const id = `customer-${i}`;
      expect(assignGroup(id, 0.2, 'salt')).toBe(assignGroup(id, 0.2, 'salt'));
    }
  });

  it('holds out close to the configured fraction of customers', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
    const held = ids.filter((id) => assignGroup(id, 0.1, 'churnkit') === 'holdout').length;
    // Binomial(20000, 0.1): sd ≈ 42, so ±200 is ~5 sd.
    expect(Math.abs(held - 2000)).toBeLessThan(200);
  });

  it('spreads sequential ids that differ only in their last characters', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const held = ids.filter((id) => assignGroup(id, 0.5, 'salt') === 'holdout').length;
    // Binomial(40, 0.5): 10..30 is beyond 3 sd either way.
    expect(held).toBeGreaterThanOrEqual(10);
    expect(held).toBeLessThanOrEqual(30);
  });

  it('draws a different hold-out for a different salt', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const changed = ids.filter((id) => assignGroup(id, 0.5, 'a') !== assignGroup(id, 0.5, 'b')).length;
    expect(changed).toBeGreaterThan(300);
  });

  it('places customers in [0, 1)', () => {
    for (const id of ['', 'x', 'a-much-longer-customer-id-0123456789', 'ü-ñ-字']) {
      const position = holdoutPosition(id, 'salt');
      expect(position).toBeGreaterThanOrEqual(0);
      expect(position).toBeLessThan(1);
    }
  });

  it('holds out nobody at fraction 0', () => {
    expect(Array.from({ length: 500 }, (_, i) => assignGroup(`c${i}`, 0, 's')).every((group) => group === 'treatment')).toBe(true);
  });
});
