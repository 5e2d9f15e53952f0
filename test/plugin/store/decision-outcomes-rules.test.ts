/**
 * Which outcome belongs to which logged decision (pairOutcomes, shared by the SQLite and Redis
 * stores): an outcome of the same action and group, recorded from the decision's own instant
 * up to (not including) the customer's next decision; the latest recorded of those counts.
 */
import { describe, expect, it } from 'vitest';
import { pairOutcomes, type AttributedOutcome } from '../../../plugin/store/decision-outcomes.js';
import type { Decision } from '../../../plugin/store/types.js';
import { DAY, NOW, pastDecision } from '../policy/policy-fixtures.js';

const decision = (action: string | null, ts: number, group: Decision['group'] = 'treatment'): Decision => ({ ...pastDecision(action ?? 'none', ts), action, group });
const outcome = (action: string, ts: number, retained: boolean, group: AttributedOutcome['group'] = 'treatment'): AttributedOutcome => ({ ts, retained, action, group });

describe('pairing a customer\'s decisions with their outcomes', () => {
  it('gives a decision the outcome recorded at its very instant, and not one recorded a millisecond before it', () => {
    const at = pairOutcomes([decision('coupon', NOW)], [outcome('coupon', NOW - 1, false), outcome('coupon', NOW, true)]);
    expect(at[0]!.outcome).toEqual({ ts: NOW, retained: true });
    const before = pairOutcomes([decision('coupon', NOW)], [outcome('coupon', NOW - 1, false)]);
    expect(before[0]!.outcome).toBeNull();
  });

  it('gives an outcome recorded at the instant of the next decision to that next decision', () => {
    // Two coupon decisions 10 days apart; the outcome comes exactly when the second is made.
    const paired = pairOutcomes([decision('coupon', NOW), decision('coupon', NOW + 10 * DAY)], [outcome('coupon', NOW + 10 * DAY, true)]);
    expect(paired.map((entry) => entry.outcome)).toEqual([null, { ts: NOW + 10 * DAY, retained: true }]);
  });

  it('leaves an outcome after the next decision to the later decision, even when only the earlier one matches its action', () => {
    // coupon at day 0, care_call at day 10; a coupon outcome on day 20 falls after the care call: not the coupon's.
    const paired = pairOutcomes([decision('coupon', NOW), decision('care_call', NOW + 10 * DAY)], [outcome('coupon', NOW + 20 * DAY, true)]);
    expect(paired.map((entry) => entry.outcome)).toEqual([null, null]);
  });

  it('gives a decision the latest outcome recorded in its window, as the lift report counts it: a corrected outcome wins', () => {
    const paired = pairOutcomes([decision('coupon', NOW)], [outcome('coupon', NOW + DAY, true), outcome('coupon', NOW + DAY, true), outcome('coupon', NOW + 2 * DAY, false)]);
    expect(paired[0]!.outcome).toEqual({ ts: NOW + 2 * DAY, retained: false });
  });

  it('pairs only an outcome attributed to the decision\'s own action', () => {
    const paired = pairOutcomes([decision('coupon', NOW)], [outcome('care_call', NOW + DAY, true)]);
    expect(paired[0]!.outcome).toBeNull();
  });

  it('pairs only an outcome attributed to the decision\'s own group', () => {
    const paired = pairOutcomes([decision('coupon', NOW, 'holdout')], [outcome('coupon', NOW + DAY, true, 'treatment'), outcome('coupon', NOW + 2 * DAY, false, 'holdout')]);
    expect(paired[0]!.outcome).toEqual({ ts: NOW + 2 * DAY, retained: false });
  });

  it('pairs a decision to take no action with an outcome attributed to "none"', () => {
    const paired = pairOutcomes([decision(null, NOW)], [outcome('none', NOW + DAY, true)]);
    expect(paired[0]!.outcome).toEqual({ ts: NOW + DAY, retained: true });
  });
});
