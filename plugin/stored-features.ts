/**
 * A customer's stored features, computed once per decoded state rather than once per
 * request. The customer cache (`store/customer-cache.ts`) hands every request of the
 * next `cacheTtlMs` the same state object, so its features are worked out on the first
 * of them and shared, frozen, by the rest: the 47 features move by a few seconds'
 * worth of "days since" at most, and a page view costs no feature arithmetic and no
 * 47-field allocation. A store read without the cache gives a new state object each
 * time, hence features at that request's own time.
 */
import { featuresAt, type CustomerState } from '../src/features/online-state.js';

const computed = new WeakMap<CustomerState, Readonly<Record<string, number>>>();

/**
 * The features of `state` as of its first use at or after `nowMs`'s request.
 *
 * @example
 * const features = storedFeatures(await store.getCustomerState('c1'), Date.now());
 */
export function storedFeatures(state: CustomerState, nowMs: number): Readonly<Record<string, number>> {
  let features = computed.get(state);
  if (features === undefined) {
    // Frozen: the object is shared by requests, and it reaches user code (customerValue).
    features = Object.freeze(featuresAt(state, nowMs));
    computed.set(state, features);
  }
  return features;
}
