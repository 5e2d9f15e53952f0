/**
 * The one check of event times every store makes before writing a batch: the routes apply the
 * event-time policy (`events/event-time-policy.ts`) first, but stores are called directly too
 * (a batch job, a backfill), and an event whose time is not a number was logged with no time
 * by Redis and the key-value stores (its customer created with nothing folded), and failed
 * SQLite's whole batch in SQLite's own words (a NOT NULL constraint).
 */
import { ChurnkitError, excerpt } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { describeValue } from '../../src/model/model-file-schema.js';

/**
 * `STORE_EVENT_TIME` for the first event of `events` whose `ts` is not a finite number (epoch
 * milliseconds); null when every one is. A store refuses the whole batch with it, writing
 * nothing.
 *
 * @example
 * const refused = eventTimeRefusal(events);
 * if (refused !== null) return Promise.reject(refused);
 */
export function eventTimeRefusal(events: readonly ChurnEvent[]): ChurnkitError | null {
  for (let i = 0; i < events.length; i++) {
    const { ts, customerId } = events[i]!;
    if (typeof ts === 'number' && Number.isFinite(ts)) continue;
    return new ChurnkitError(
      'STORE_EVENT_TIME',
      `event ${i} of the batch (customer ${JSON.stringify(excerpt(String(customerId)))}): expected "ts" to be a finite number of epoch milliseconds, got ${describeValue(ts)}; nothing of the batch was stored`,
    );
  }
  return null;
}
