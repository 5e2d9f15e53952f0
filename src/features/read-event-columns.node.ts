import { readEventBatches, type ReadEventsOptions } from '../events/read-events.node.js';
import { EventColumnsBuilder, type EventColumns } from './event-columns.js';

/**
 * Streams an event log straight into typed columns, so that memory grows by about
 * `BYTES_PER_EVENT` per event (plus each distinct customer id once), never by a JS object
 * per event.
 *
 * @example
 * ```ts
 * const columns = await readEventColumns('events.jsonl', { format: 'jsonl', strict: true });
 * console.log(columns.length, 'events of', columns.customerIds.length, 'customers');
 * ```
 */
export async function readEventColumns(path: string, options: ReadEventsOptions): Promise<EventColumns> {
  const builder = new EventColumnsBuilder();
  for await (const events of readEventBatches(path, options)) for (const event of events) builder.add(event);
  return builder.finish();
}
