/**
 * Writing a generated storefront to disk: the event log as CSV, streamed a
 * day at a time with backpressure (memory stays flat however many events), and
 * optionally the ground truth. Each file appears atomically (`writeFileInPieces`): it is
 * written under a temporary name, flushed, and renamed into place only when complete.
 */
import { writeFileInPieces } from '../node/write-file-atomically.js';
import { DayBatch } from './day-batch.js';
import { EventCsvEncoder, formatTruthRow, TRUTH_CSV_HEADER } from './event-csv.js';
import { StorefrontSimulation } from './storefront-simulation.js';
import { resolveStorefrontOptions, type StorefrontOptions } from './storefront-options.js';
import { DAY_MS } from '../events/day.js';

/** Ground-truth text is handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/** Where to write, on top of what to simulate. */
export interface WriteStorefrontOptions extends StorefrontOptions {
  /** Event log path (CSV). */
  out: string;
  /** Ground-truth path (CSV), optional. */
  truth?: string;
  /** Called after each simulated day, e.g. to move a progress bar. */
  onDay?(daysDone: number, days: number, events: number): void;
}

/** What was written. */
export interface WriteStorefrontResult {
  events: number;
  customers: number;
  churned: number;
}

/**
 * Simulates the storefront and writes its event log (and ground truth).
 * Throws `OptionsError` for invalid options and `OUTPUT_UNWRITABLE` naming the path
 * when a file cannot be written; a failed run leaves no partial file behind.
 *
 * @example
 * const result = await writeStorefrontFiles({ customers: 50_000, days: 365, seed: 1, out: 'events.csv', truth: 'truth.csv' });
 * console.log(`${result.events} events`);
 */
export async function writeStorefrontFiles(options: WriteStorefrontOptions): Promise<WriteStorefrontResult> {
  const resolved = resolveStorefrontOptions(options);
  const simulation = new StorefrontSimulation(resolved);
  const batch = new DayBatch();
  let events = 0;
  await writeFileInPieces(options.out, async (write) => {
    const encoder = new EventCsvEncoder(simulation.customerIds);
    for (let day = 0; day < resolved.days; day++) {
      simulation.simulateDay(day, batch);
      events += batch.count;
      encoder.encodeDay(batch, new Date(resolved.startMs + day * DAY_MS).toISOString().slice(0, 11));
      for (const chunk of encoder.takeCompleted()) await write(chunk);
      options.onDay?.(day + 1, resolved.days, events);
    }
    for (const chunk of encoder.finish()) await write(chunk);
  });
  const truth = simulation.truth();
  if (options.truth !== undefined) {
    await writeFileInPieces(options.truth, async (write) => {
      let pending = TRUTH_CSV_HEADER;
      for (const customer of truth) {
        pending += formatTruthRow(customer);
        if (pending.length >= CHUNK_CHARS) {
          await write(pending);
          pending = '';
        }
      }
      await write(pending);
    });
  }
  return { events, customers: truth.length, churned: truth.filter((customer) => customer.churnedMs !== null).length };
}
