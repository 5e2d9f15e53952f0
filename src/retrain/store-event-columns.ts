/**
 * The plugin store's event log packed into the batch pipeline's columns: what retraining
 * reads instead of an exported CSV. Only a store that keeps every event can give it; one
 * that keeps each customer's folded state alone (memory, KV, Durable Object) is refused with
 * an error saying what such a store can and cannot rebuild.
 */
import { ChurnkitError } from '../errors.js';
import type { ChurnEvent } from '../events/types.js';
import { EventColumnsBuilder, type EventColumns } from '../features/event-columns.js';

/** The one store method retraining reads (`ChurnStore.eventLog`). */
export interface EventLogSource {
  eventLog?(): AsyncIterable<readonly ChurnEvent[]>;
}

/**
 * Reads every stored event into columns; `onProgress` gets the running count of events.
 * A store without an event log is a `ChurnkitError` with code `RETRAIN_NO_EVENT_LOG`.
 *
 * @example
 * const columns = await storeEventColumns(openSqliteStore({ dataDir: './data' }));
 * console.log(columns.length, 'events of', columns.customerIds.length, 'customers');
 */
export async function storeEventColumns(store: EventLogSource, onProgress?: (events: number) => void): Promise<EventColumns> {
  if (typeof store.eventLog !== 'function') {
    throw new ChurnkitError(
      'RETRAIN_NO_EVENT_LOG',
      'this store keeps no event log, only each customer\'s folded state (the memory, KV and Durable Object stores): ' +
        'it can give every customer\'s features as of now, but no features as of an earlier cut-off and no churn labels, ' +
        'which retraining needs. Retrain from the SQLite or Redis store, or from an exported event log (churnkit features, then churnkit train)',
    );
  }
  const builder = new EventColumnsBuilder();
  let events = 0;
  for await (const batch of store.eventLog()) {
    for (const event of batch) builder.add(event);
    events += batch.length;
    onProgress?.(events);
  }
  return builder.finish();
}
