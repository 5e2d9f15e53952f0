/**
 * The request path's read of one customer, from any `ChurnStore`: the store's own
 * `readCustomerView` (one statement or round trip, features read straight from the stored
 * record) when it has one, else its state and decisions read apart.
 */
import { featuresAt } from '../../src/features/online-state.js';
import type { ChurnStore, CustomerView } from './types.js';

/**
 * The customer's features as of `asOfMs` (null when nothing is stored) and their decisions
 * at or after `decisionsSinceTs` (none asked for with `Infinity`).
 *
 * @example
 * const { features, decisions } = await readCustomerView(store, 'c-42', Date.now(), Date.now() - 30 * DAY_MS);
 */
export async function readCustomerView(store: ChurnStore, customerId: string, asOfMs: number, decisionsSinceTs: number): Promise<CustomerView> {
  if (store.readCustomerView) return store.readCustomerView(customerId, asOfMs, decisionsSinceTs);
  const [state, decisions] = await Promise.all([
    store.getCustomerState(customerId),
    decisionsSinceTs === Infinity ? [] : store.decisionsSince(customerId, decisionsSinceTs),
  ]);
  return { features: state === null ? null : featuresAt(state, asOfMs), decisions };
}
