import { describe, expect, test } from 'vitest';
import { DAY_MS } from '../../src/events/day.js';
import { applyEvent, createCustomerState, featuresAt, type FeatureName } from '../../src/features/online-state.js';

const NOW = Date.UTC(2026, 11, 2, 10);
const WINDOWED: FeatureName[] = [
  'log_orders_7d', 'log_orders_30d', 'log_orders_90d', 'log_orders_365d',
  'log_revenue_7d', 'log_revenue_30d', 'log_revenue_90d', 'log_revenue_365d',
  'log_events_30d', 'log_sessions_30d', 'order_trend_30d', 'activity_trend_30d',
];

/** A customer who ordered every third day for a year, up to yesterday. */
function yearOfOrders() {
  const state = createCustomerState();
  for (let daysAgo = 363; daysAgo >= 1; daysAgo -= 3) {
    applyEvent(state, { customerId: 'c1', ts: NOW - daysAgo * DAY_MS, type: 'order', value: 20 });
    applyEvent(state, { customerId: 'c1', ts: NOW - daysAgo * DAY_MS + 60_000, type: 'session_start' });
  }
  return state;
}

describe('no event erases what the online state knows', () => {
  test('an event stamped far in the future leaves every windowed feature at now as it was', () => {
    const before = featuresAt(yearOfOrders(), NOW);
    for (const future of [NOW + 400 * DAY_MS, NOW + 10 * 365 * DAY_MS]) {
      const state = yearOfOrders();
      applyEvent(state, { customerId: 'c1', ts: future, type: 'page_view' });
      const after = featuresAt(state, NOW);
      // Before the fix the state kept only the 365 days before its newest event: all of them gone.
      for (const name of WINDOWED) expect(after[name], name).toBe(before[name]);
      expect(state.days).toHaveLength(yearOfOrders().days.length + 1);
    }
  });

  test('a full state gives up only its oldest day to a newer one, never a newer day to an older one', () => {
    const state = createCustomerState();
    const start = Date.UTC(2024, 0, 1);
    for (let day = 0; day < 365; day++) applyEvent(state, { customerId: 'c1', ts: start + day * DAY_MS, type: 'order' });
    const oldest = state.days[0]![0];
    applyEvent(state, { customerId: 'c1', ts: start + 365 * DAY_MS, type: 'order' });
    expect(state.days).toHaveLength(365);
    expect(state.days[0]![0]).toBe(oldest + 1);
    applyEvent(state, { customerId: 'c1', ts: start - 30 * DAY_MS, type: 'order' });
    expect(state.days).toHaveLength(365);
    expect(state.days[0]![0]).toBe(oldest + 1);
    // Lifetime sums count every event all the same.
    expect(state.ordersTotal).toBe(367);
  });
});
