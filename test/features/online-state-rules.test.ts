import { describe, expect, test } from 'vitest';
import { DAY_MS } from '../../src/events/day.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, FEATURE_NAMES, featuresAt, RETAINED_DAYS } from '../../src/features/online-state.js';

/** Noon UTC of day 0 of these tests: every event below is a whole number of days from it. */
const START = Date.UTC(2025, 0, 1, 12);
const at = (day: number, type = 'order', extra: Partial<ChurnEvent> = {}): ChurnEvent => ({ customerId: 'c1', ts: START + day * DAY_MS, type, ...extra });

function stateOf(events: readonly ChurnEvent[]) {
  const state = createCustomerState();
  for (const event of events) applyEvent(state, event);
  return state;
}

/** The same features, up to the rounding of sums added in another order (the cyclic hour and weekday sums). */
function expectSameFeatures(actual: Record<string, number>, expected: Record<string, number>) {
  for (const name of FEATURE_NAMES) expect(actual[name], name).toBeCloseTo(expected[name]!, 12);
}

/** Page views on every day of [from, to]: enough of them push every older day out of a full state. */
function activeDays(from: number, to: number): ChurnEvent[] {
  return Array.from({ length: to - from + 1 }, (_, k) => at(from + k, 'page_view'));
}

describe('feature definitions the batch pipeline shares (pinned by value: online and batch would drift together)', () => {
  test('a customer who never ordered has been "not ordering" for their whole tenure', () => {
    const features = featuresAt(stateOf([at(0, 'page_view'), at(4, 'search')]), START + 10 * DAY_MS);
    expect(features.has_ordered).toBe(0);
    // recency_days is the tenure, not 0: a 0 would read as "ordered just now".
    expect(features.recency_days).toBe(10);
    expect(features.tenure_days).toBe(10);
  });

  test('a cut-off before the latest event gives 0 days since the last event and 0 tenure, never negative days', () => {
    const features = featuresAt(stateOf([at(5, 'page_view')]), START + 3 * DAY_MS);
    expect(features.days_since_last_event).toBe(0);
    expect(features.tenure_days).toBe(0);
  });

  test('an order value that makes revenue negative gives a negative log revenue (log1p of |x| with its sign)', () => {
    const features = featuresAt(stateOf([at(1, 'order', { value: 20 }), at(2, 'order', { value: -50 })]), START + 3 * DAY_MS);
    expect(features.log_revenue_total).toBeCloseTo(-Math.log1p(30), 12);
    expect(features.log_revenue_30d).toBeCloseTo(-Math.log1p(30), 12);
  });

  test('order_trend_30d is positive when the last 30 days hold more orders than the 30 before them', () => {
    // Cut-off on day 60: 3 orders in the last 30 days (days 40, 50, 55), 1 in the 30 before (day 25): (3 - 1) / (3 + 1).
    const features = featuresAt(stateOf([at(25), at(40), at(50), at(55)]), START + 60 * DAY_MS);
    expect(features.order_trend_30d).toBe(0.5);
  });

  test('channel shares count every channel, unknown ones as "other", and sum to 1', () => {
    const features = featuresAt(
      stateOf([at(1, 'page_view', { channel: 'web' }), at(2, 'page_view', { channel: 'email' }), at(3, 'page_view', { channel: 'kiosk' }), at(4, 'page_view', { channel: 'app' })]),
      START + 5 * DAY_MS,
    );
    expect(features.channel_web_share).toBe(0.25);
    expect(features.channel_app_share).toBe(0.25);
    expect(features.channel_social_share).toBe(0);
    expect(features.channel_other_share).toBe(0.5);
  });

  test('orders placed without a tracked cart do not make the cart abandonment rate negative', () => {
    const features = featuresAt(stateOf([at(1, 'add_to_cart'), at(1), at(2)]), START + 3 * DAY_MS);
    expect(features.cart_abandonment_rate).toBe(0);
  });
});

describe('late events: the order of arrival does not change what the state knows', () => {
  const cutoff = START + 20 * DAY_MS;

  test('an event earlier than every event seen moves the start of tenure back', () => {
    const features = featuresAt(stateOf([at(10, 'page_view'), at(2, 'page_view')]), cutoff);
    expect(features.tenure_days).toBe(18);
  });

  test('a second late order on a day that already holds an order is not a new order day', () => {
    const chronological = featuresAt(stateOf([at(0), at(5), at(5), at(10)]), cutoff);
    const late = featuresAt(stateOf([at(0), at(10), at(5), at(5)]), cutoff);
    expect(late.log_order_days).toBe(Math.log1p(3));
    expectSameFeatures(late, chronological);
  });

  test('a late order between two order days splits the gap between order days, not at days without orders', () => {
    // Gaps 5 and 5 (std 0); the page view on day 3 is no order day and no gap boundary.
    const chronological = featuresAt(stateOf([at(0), at(3, 'page_view'), at(5), at(10)]), cutoff);
    const late = featuresAt(stateOf([at(0), at(10), at(3, 'page_view'), at(5)]), cutoff);
    expect(late.gap_mean_days).toBe(5);
    expect(late.gap_std_days).toBe(0);
    expectSameFeatures(late, chronological);
  });
});

describe('a full state (every kept day newer than the late order)', () => {
  const evicting = (from: number) => activeDays(from, from + RETAINED_DAYS - 1);

  test('a late repeat order on the last order day, whose bucket is gone, is still not a new order day', () => {
    const events = [at(0), at(10), ...evicting(11), at(10)];
    const features = featuresAt(stateOf(events), START + 400 * DAY_MS);
    // Order days 0 and 10: the same as without the repeat.
    expect(features.log_order_days).toBe(Math.log1p(2));
    expect(features.gap_mean_days).toBe(10);
    expect(features.gap_std_days).toBe(0);
  });

  test('gap statistics estimated for a late order older than every kept day stay finite', () => {
    // Orders on days 0, 10, 20, then 365 newer active days, then a late order on day 5: its
    // neighbours are gone, so the squared gaps are estimated (docs: approximate) and can fall
    // below what the mean implies; the variance must be clamped at 0, never a NaN std.
    const state = stateOf([at(0), at(10), at(20), ...evicting(21), at(5)]);
    const features = featuresAt(state, START + 400 * DAY_MS);
    expect(features.gap_std_days).toBe(0);
    for (const name of FEATURE_NAMES) expect(Number.isFinite(features[name]), name).toBe(true);
  });
});
