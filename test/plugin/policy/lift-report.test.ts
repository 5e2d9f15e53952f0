import { describe, expect, it } from 'vitest';
import { differenceInterval, liftByAction, wilsonInterval } from '../../../plugin/policy/lift-report.js';

describe('Wilson interval', () => {
  it('matches the textbook value for 81 of 263 (Newcombe 1998, example)', () => {
    const { low, high } = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at 0 and n successes', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    const allRetained = wilsonInterval(10, 10);
    expect(allRetained.high).toBeLessThanOrEqual(1);
    expect(allRetained.high).toBeCloseTo(1, 12);
    expect(allRetained.low).toBeCloseTo(0.7225, 4);
  });
});

describe("Newcombe's interval for a difference of proportions", () => {
  it('matches the published example 56/70 vs 48/80 → [0.0524, 0.3339]', () => {
    const { low, high } = differenceInterval(56, 70, 48, 80);
    expect(low).toBeCloseTo(0.0524, 3);
    expect(high).toBeCloseTo(0.3339, 3);
  });
});

describe('lift by action', () => {
  it('joins outcomes and decisions per action and leaves the lift empty without a hold-out', () => {
    const rows = liftByAction(
      [
        { action: 'coupon', group: 'treatment', customers: 70, retained: 56 },
        { action: 'coupon', group: 'holdout', customers: 80, retained: 48 },
        { action: 'care', group: 'treatment', customers: 5, retained: 4 },
      ],
      [
        { action: 'coupon', group: 'treatment', count: 90, cost: 450 },
        { action: 'coupon', group: 'holdout', count: 10, cost: 0 },
      ],
    );
    const coupon = rows.find((row) => row.action === 'coupon')!;
    expect(coupon.lift).toBeCloseTo(0.8 - 0.6, 12);
    expect(coupon.confidenceInterval!.low).toBeCloseTo(0.0524, 3);
    expect(coupon).toMatchObject({ issued: 90, heldOut: 10, cost: 450 });
    const care = rows.find((row) => row.action === 'care')!;
    expect(care.lift).toBeNull();
    expect(care.confidenceInterval).toBeNull();
    expect(care.holdout.retention).toBeNull();
  });
});
