/**
 * Churn labels for scored customers from the store's event log, with the churn definition
 * retraining uses (src/features/churn-label.ts): a customer scored at `ts` churned when no
 * active event (default: an order) falls in [ts + gap, ts + horizon). A score is labelled
 * once its window has fully elapsed in the complete part of the log, which ends, as
 * retraining takes it, at the start of the UTC day of the latest event. Every scored customer
 * gets a label this way, acted on or not, with or without an outcome sent to `POST /outcomes`.
 */
import { bisectLeft } from 'd3-array';
import { DAY_MS } from '../../src/events/day.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { ChurnkitError } from '../../src/errors.js';
import { parseDuration } from '../../src/features/churn-label.js';
import type { ChurnStore } from '../store/types.js';
import { DEFAULT_CHURN_DEFINITION, type ChurnDefinition } from '../churn-definition.js';
import { nextTurn } from '../next-turn.js';

/**
 * Events read between two turns of the event loop. A store's batches come without a turn
 * between them (SQLite reads synchronously, a page at a time), so a long log would otherwise
 * hold the storefront's requests for its whole read; a few thousand events take a few ms.
 */
const EVENTS_PER_TURN = 5000;

/** Labels scores of the customers it was built for. */
export interface ChurnLabeller {
  /** 1 churned, 0 active in the window, null while the window has not fully elapsed in the log. */
  label(customerId: string, ts: number): 0 | 1 | null;
  /** The end of the complete part of the log (null for an empty log: nothing is labelled). */
  completeUntil: number | null;
}

/**
 * Reads the event log once, keeping the active events' times of `customers` only, and lets
 * the event loop turn every few thousand events.
 *
 * @example
 * const labeller = await churnLabeller(store.eventLog!(), new Set(['c1', 'c2']));
 * labeller.label('c1', Date.parse('2026-06-01')); // 1: no order in the 90 days after
 */
export async function churnLabeller(log: AsyncIterable<readonly ChurnEvent[]>, customers: ReadonlySet<string>, definition: ChurnDefinition = DEFAULT_CHURN_DEFINITION): Promise<ChurnLabeller> {
  const horizonMs = parseDuration(definition.horizon, 'horizon');
  const gapMs = parseDuration(definition.gap, 'gap');
  const active = new Set(definition.active);
  const activity = new Map<string, number[]>();
  let latest = -Infinity;
  let sinceTurn = 0;
  for await (const batch of log) {
    for (const event of batch) {
      if (++sinceTurn === EVENTS_PER_TURN) {
        sinceTurn = 0;
        await nextTurn();
      }
      if (event.ts > latest) latest = event.ts;
      if (!active.has(event.type) || !customers.has(event.customerId)) continue;
      const times = activity.get(event.customerId);
      if (times === undefined) activity.set(event.customerId, [event.ts]);
      else times.push(event.ts);
    }
  }
  for (const times of activity.values()) times.sort((a, b) => a - b);
  const completeUntil = latest === -Infinity ? null : Math.floor(latest / DAY_MS) * DAY_MS;
  return {
    completeUntil,
    label(customerId, ts) {
      const start = ts + gapMs;
      const end = ts + horizonMs;
      if (completeUntil === null || end > completeUntil) return null;
      const times = activity.get(customerId) ?? [];
      const first = bisectLeft(times, start);
      return first < times.length && times[first]! < end ? 0 : 1;
    },
  };
}

/**
 * The store's event log, where the labels come from; a store without one (a custom store
 * logging challenger scores but not events) is a `ChurnkitError` `STORE_NO_EVENT_LOG`.
 *
 * @example
 * const report = await compareChallenger(store.challengerLog!(), () => storeEventLog(store));
 */
export function storeEventLog(store: Pick<ChurnStore, 'eventLog'>): AsyncIterable<readonly ChurnEvent[]> {
  if (store.eventLog === undefined) {
    throw new ChurnkitError('STORE_NO_EVENT_LOG', 'this store keeps no event log, which the challenger comparison labels customers from (churned = no order within the horizon after the score): use the SQLite or Redis store');
  }
  return store.eventLog();
}
