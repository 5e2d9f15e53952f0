/**
 * The programmatic face of the generator: synthetic storefront events as an
 * ordinary iterable (e.g. to seed the demo storefront), plus the ground truth.
 */
import { ChurnkitError } from '../errors.js';
import type { ChurnEvent } from '../events/types.js';
import { KNOWN_EVENT_TYPES } from '../events/event-types.js';
import { DayBatch } from './day-batch.js';
import { CATEGORIES, CHANNELS } from './segments.js';
import { StorefrontSimulation, type CustomerTruth } from './storefront-simulation.js';
import { resolveStorefrontOptions, type StorefrontOptions } from './storefront-options.js';
import { DAY_MS } from '../events/day.js';

/** A simulated store: its events in time order, then the answer key. */
export interface Storefront {
  /** All events of all customers, in time order. The simulation runs as you iterate, so only once. */
  events(): Generator<ChurnEvent>;
  /** Who really churned and when; complete once `events()` has been iterated to the end. */
  truth(): CustomerTruth[];
}

/**
 * Creates a simulated storefront. Options are validated here (`OptionsError`).
 * Deterministic: the same options give the same events and truth.
 *
 * @example
 * const store = createStorefront({ customers: 1_000, days: 180, seed: 7 });
 * for (const event of store.events()) ingest(event);
 * const churned = store.truth().filter((customer) => customer.churnedMs !== null);
 */
export function createStorefront(options: StorefrontOptions): Storefront {
  const resolved = resolveStorefrontOptions(options);
  const simulation = new StorefrontSimulation(resolved);
  let started = false;
  let finished = false;
  return {
    *events() {
      if (started) {
        throw new ChurnkitError(
          'GENERATE_ONCE',
          'events() of a storefront can be iterated only once: create another storefront with the same options to replay it',
        );
      }
      started = true;
      const batch = new DayBatch();
      for (let day = 0; day < resolved.days; day++) {
        simulation.simulateDay(day, batch);
        const dayStart = resolved.startMs + day * DAY_MS;
        for (let position = 0; position < batch.count; position++) yield toEvent(batch, batch.order[position]!, dayStart, simulation.customerIds);
      }
      finished = true;
    },
    truth() {
      if (!finished) throw new ChurnkitError('GENERATE_NOT_FINISHED', 'the ground truth is known only after events() has been iterated to the end');
      return simulation.truth();
    },
  };
}

/**
 * Shorthand for `createStorefront(options).events()` when the ground truth is not needed.
 *
 * @example
 * const orders = [...generateEvents({ customers: 200, days: 90, seed: 1 })].filter((event) => event.type === 'order');
 */
export function generateEvents(options: StorefrontOptions): Generator<ChurnEvent> {
  return createStorefront(options).events();
}

/** The event at one row of a simulated day, as the rest of churnkit sees events. */
export function toEvent(batch: DayBatch, row: number, dayStart: number, customerIds: readonly string[]): ChurnEvent {
  const event: ChurnEvent = {
    customerId: customerIds[batch.customer[row]!]!,
    ts: dayStart + batch.second[row]! * 1000,
    type: KNOWN_EVENT_TYPES[batch.type[row]!]!,
  };
  const value = batch.value[row]!;
  if (!Number.isNaN(value)) event.value = value;
  if (batch.quantity[row]! !== 0) event.quantity = batch.quantity[row]!;
  if (batch.category[row]! >= 0) event.category = CATEGORIES[batch.category[row]!]!;
  if (batch.rating[row]! !== 0) event.rating = batch.rating[row]!;
  if (batch.channel[row]! >= 0) event.channel = CHANNELS[batch.channel[row]!]!;
  return event;
}
