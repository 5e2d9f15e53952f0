/**
 * The behaviour columns uplift models learn from are computed from the event features the
 * policy logs, the same way when a model is trained and when it scores a customer.
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { applyEvent, createCustomerState, featuresAt } from '../../src/features/online-state.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { createRandom } from '../../src/train/random.js';
import { BEHAVIOUR_FEATURES, withBehaviourFeatures } from '../../src/uplift/behaviour-features.js';
import type { UpliftObservation } from '../../src/uplift/observation.js';
import { trainUplift } from '../../src/uplift/train-uplift.js';

const DAY = 86_400_000;
const START = Date.parse('2025-03-01T10:00:00Z');

/** The event features of a customer with these events, as the plugin logs them with a decision. */
function loggedFeatures(events: readonly Omit<ChurnEvent, 'customerId'>[]): Record<string, number> {
  const state = createCustomerState();
  for (const event of events) applyEvent(state, { customerId: 'c1', ...event });
  return featuresAt(state, START + 200 * DAY);
}

describe('behaviour features', () => {
  it('reads coupon use, item price, complaints and low ratings from the logged event features', () => {
    const features = loggedFeatures([
      { ts: START, type: 'order', value: 30, quantity: 3 },
      { ts: START + 10 * DAY, type: 'order', value: 50, quantity: 2 },
      { ts: START + 11 * DAY, type: 'coupon_redeemed', value: 5 },
      { ts: START + 30 * DAY, type: 'order', value: 20, quantity: 5 },
      { ts: START + 31 * DAY, type: 'order', value: 10, quantity: 1 },
      { ts: START + 33 * DAY, type: 'refund', value: 10 },
      { ts: START + 34 * DAY, type: 'support_ticket' },
      { ts: START + 35 * DAY, type: 'support_ticket' },
      { ts: START + 36 * DAY, type: 'review', rating: 1 },
      { ts: START + 37 * DAY, type: 'review', rating: 3 },
    ]);
    const record = withBehaviourFeatures(features);
    expect(record).toMatchObject({ redeemed_a_coupon: 1, coupon_order_share: 0.25, complaints: 3, has_complained: 1, gave_low_rating: 1 });
    expect(record.log_item_price).toBeCloseTo(Math.log1p(110 / 11), 9);
    // The logged features pass through untouched.
    expect(record).toMatchObject(features);
    expect(Object.keys(record).filter((name) => !(name in features))).toEqual([...BEHAVIOUR_FEATURES]);
  });

  it('says "never" for a customer who never ordered, redeemed, complained or reviewed', () => {
    const record = withBehaviourFeatures(loggedFeatures([{ ts: START, type: 'session_start' }]));
    expect(record).toMatchObject({ redeemed_a_coupon: 0, coupon_order_share: 0, log_item_price: 0, complaints: 0, has_complained: 0, gave_low_rating: 0 });
  });

  it('adds nothing it cannot compute (custom features), and keeps a column the record already has', () => {
    expect(withBehaviourFeatures({ plan: 'pro', seats: 4 })).toEqual({ plan: 'pro', seats: 4 });
    expect(withBehaviourFeatures({ log_coupons_total: Number.NaN, log_orders_total: 1 })).toEqual({ log_coupons_total: Number.NaN, log_orders_total: 1 });
    expect(withBehaviourFeatures({ log_coupons_total: 0, complaints: 'many' })).toEqual({ log_coupons_total: 0, redeemed_a_coupon: 0, complaints: 'many' });
  });

  it('are what an uplift model learns from and scores on: the model sees coupon use the logged features hold only on a log scale', async () => {
    // A coupon keeps customers who have used one before (+30 points), no one else; the logged
    // features say so only through log_coupons_total, spread over 0, log 2, log 3, ...
    const random = createRandom(5);
    const log: UpliftObservation[] = Array.from({ length: 6000 }, (_, index) => {
      const coupons = random.next() < 0.4 ? 1 + Math.floor(random.next() * 6) : 0;
      const orders = coupons + 1 + Math.floor(random.next() * 8);
      const treated = random.next() < 0.8;
      const retention = 0.5 + (treated && coupons > 0 ? 0.3 : 0);
      return {
        customerId: `c${index}`,
        ts: index,
        action: 'coupon',
        treated,
        retained: random.next() < retention,
        features: { log_coupons_total: Math.log1p(coupons), log_orders_total: Math.log1p(orders) },
      };
    });
    const trained = await trainUplift(log, { engine: createJsEngine(), method: 't-learner', treatmentProbability: 0.8, trainer: { seed: 2, l2: 0.001 } });
    try {
      const columns = trained.files[0]!.featureSpec.columns.map((column) => column.name);
      expect(columns).toEqual(expect.arrayContaining(['redeemed_a_coupon', 'coupon_order_share']));
      // Scored from the logged features alone: the behaviour columns are added on the way in.
      const used = trained.model.uplift({ log_coupons_total: Math.log1p(1), log_orders_total: Math.log1p(4) });
      const never = trained.model.uplift({ log_coupons_total: 0, log_orders_total: Math.log1p(4) });
      expect(used).toBeGreaterThan(0.2);
      expect(Math.abs(never)).toBeLessThan(0.1);
    } finally {
      trained.dispose();
    }
  });
});
