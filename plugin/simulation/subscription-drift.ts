/**
 * Behaviour that drifts away from what the shipped model learned: the simulated store
 * launches "subscribe and save" on a given day. From then on, a share of the customers who
 * had already ordered sign up at their next order; a subscriber's order is delivered every
 * four weeks (with a small chance of cancelling before each delivery), and they stop browsing
 * the shop: no sessions, page views, searches or carts after signing up, only their orders.
 *
 * To a model trained before the launch (models/storefront.json), a subscriber looks like a
 * customer drifting away (no visits for weeks) while they are the most loyal of all; a model
 * retrained on the store's own recent history learns that regular orders without visits are
 * a subscription. The retraining test (test/retrain/) seeds a demo store with it.
 */
import { DAY_MS } from '../../src/events/day.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { hashPosition } from '../../src/train/hash-position.js';

export interface SubscriptionLaunch {
  /** The launch instant (epoch ms). */
  startMs: number;
  /** Share of customers with an order before the launch who subscribe at their next order. Default 0.35. */
  share?: number;
  /** Chance of cancelling before each delivery. Default 0.04. */
  cancelChance?: number;
  /** The subscription order's value. Default 30. */
  orderValue?: number;
}

/** Days between deliveries. */
const DELIVERY_DAYS = 28;
/** What a subscriber no longer does. */
const BROWSING = new Set(['session_start', 'page_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout_start']);

/**
 * The events of a store (in time order) as they are after the launch: deterministic, the same
 * events for the same input. Returned in time order.
 *
 * @example
 * const drifted = launchSubscriptions([...generateEvents({ customers: 3000, days: 420, seed: 5 })], { startMs: Date.parse('2025-06-01') });
 */
export function launchSubscriptions(events: readonly ChurnEvent[], launch: SubscriptionLaunch): ChurnEvent[] {
  const share = launch.share ?? 0.35;
  const cancelChance = launch.cancelChance ?? 0.04;
  const orderValue = launch.orderValue ?? 30;
  let endMs = -Infinity;
  const orderedBefore = new Set<string>();
  const subscribedAt = new Map<string, number>();
  for (const event of events) {
    endMs = Math.max(endMs, event.ts);
    if (event.type !== 'order') continue;
    if (event.ts < launch.startMs) orderedBefore.add(event.customerId);
    else if (orderedBefore.has(event.customerId) && !subscribedAt.has(event.customerId) && hashPosition(`subscribe\u0000${event.customerId}`) < share) {
      subscribedAt.set(event.customerId, event.ts);
    }
  }
  const drifted = events.filter((event) => {
    const since = subscribedAt.get(event.customerId);
    return since === undefined || event.ts <= since || !BROWSING.has(event.type);
  });
  for (const [customerId, since] of subscribedAt) {
    for (let delivery = 1; since + delivery * DELIVERY_DAYS * DAY_MS <= endMs; delivery++) {
      if (hashPosition(`cancel\u0000${customerId}\u0000${delivery}`) < cancelChance) break;
      drifted.push({ customerId, ts: since + delivery * DELIVERY_DAYS * DAY_MS, type: 'order', value: orderValue, quantity: 1, category: 'grocery' });
    }
  }
  return drifted.sort((a, b) => a.ts - b.ts);
}
