/**
 * Folding a batch of events into per-customer states, shared by every store so the
 * SQLite and Redis adapters cannot drift apart: the feature logic lives in
 * `src/features/online-state.ts`, the stores only persist its plain-JSON result.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, type CustomerState } from '../../src/features/online-state.js';

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
  for (const event of events) state = applyEvent(state, event);
  return state;
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
