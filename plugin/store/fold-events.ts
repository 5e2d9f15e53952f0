/**
 * Folding a batch of events into per-customer states, shared by every store so the
 * SQLite and Redis adapters cannot drift apart: the feature logic lives in
 * `src/features/online-state.ts`, the stores only persist its plain-JSON result.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, type CustomerState } from '../../src/features/online-state.js';
import { isUnicodeText, wellFormed } from '../customer-id.js';

/**
 * Groups events by customer, each customer's events in time order (ties keep arrival
 * order), so a batch folds the same way whether it arrives at once or one event at a time.
 */
export function eventsByCustomer(events: readonly ChurnEvent[]): Map<string, ChurnEvent[]> {
  const grouped = new Map<string, ChurnEvent[]>();
  for (const event of events) {
    const list = grouped.get(event.customerId);
    if (list) list.push(event);
    else grouped.set(event.customerId, [event]);
  }
  for (const list of grouped.values()) list.sort((a, b) => a.ts - b.ts);
  return grouped;
}

/** Applies a customer's events, in order, to their stored state (a fresh state when there is none). */
export function foldEvents(stored: CustomerState | null, events: readonly ChurnEvent[]): CustomerState {
  let state = stored ?? createCustomerState();
  for (const event of events) state = applyEvent(state, withStorableCategory(event));
  return state;
}

/**
 * The event with its category as a stored state holds it. SQLite and Redis write categories as
 * UTF-8, where half of a surrogate pair (a client that cut a string between the two halves of
 * an emoji) is U+FFFD: folded as it came, such a category matched none read back from the
 * stored state, and each of the customer's events added it once more (up to 64 categories),
 * while the key-value stores, whose states are JSON, kept it once as it came.
 */
function withStorableCategory(event: ChurnEvent): ChurnEvent {
  if (typeof event.category !== 'string' || isUnicodeText(event.category)) return event;
  return { ...event, category: wellFormed(event.category) };
}

/**
 * The events a customer does not have yet, in order: those without an id, and those whose id
 * is neither in `seen` (the ids the customer has) nor on an earlier event of `events` (a batch
 * sent twice over). Adds the ids it keeps to `seen`.
 */
export function unseenEvents(events: readonly ChurnEvent[], seen: Set<string>): ChurnEvent[] {
  const fresh: ChurnEvent[] = [];
  for (const event of events) {
    if (event.id !== undefined) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
    }
    fresh.push(event);
  }
  return fresh;
}
