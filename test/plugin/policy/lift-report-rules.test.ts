/**
 * The lift report's rules at their edges: a Wilson interval with no trials, bounds clamped to
 * [0, 1] where floating point would step outside, and the report's rows in action-name order.
 */
import { describe, expect, it } from 'vitest';
import { liftByAction, wilsonInterval } from '../../../plugin/policy/lift-report.js';

describe('the Wilson interval at its edges', () => {
  it('is the whole of [0, 1] for a group with no customers', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('never goes below 0 nor above 1 where the formula rounds outside by one ulp', () => {
    // For 0 of 27 the formula gives -6.9e-18 for the lower bound, for 16 of 16 it gives
    // 1.0000000000000002 for the upper one (worked out in double precision): both are clamped.
    expect(wilsonInterval(0, 27).low).toBe(0);
    expect(wilsonInterval(16, 16).high).toBe(1);
  });
});

describe('the report rows', () => {
  it('come one per action named in the outcomes or the decisions, in name order', () => {
    const rows = liftByAction(
      [
        { action: 'voucher', group: 'treatment', customers: 4, retained: 3 },
        { action: 'care_call', group: 'treatment', customers: 2, retained: 1 },
      ],
      [
        { action: 'none', group: 'treatment', count: 5, cost: 0 },
        { action: 'coupon', group: 'treatment', count: 1, cost: 5 },
      ],
    );
    expect(rows.map((row) => row.action)).toEqual(['care_call', 'coupon', 'none', 'voucher']);
  });
});
