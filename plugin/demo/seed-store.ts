/**
 * First-start seeding of the demo store: generated customers and their events, ending
 * now so "now" is a meaningful time to score at, then the policy's decisions on the
 * visits of the week before today, and their outcomes (`simulate-decisions.ts`).
 *
 * Today is left to the live demo: its budget is whole, so the first risky customer who
 * comes back gets an offer, and the dashboard counts what the visitor's own clicks did.
 */
import { generateEvents } from '../../src/generate/index.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt } from '../../src/features/online-state.js';
import type { PolicySettings } from '../policy/decide.js';
import type { ServingModel } from '../serving-model.js';
import { eventsByCustomer } from '../store/fold-events.js';
import type { ChurnStore } from '../store/types.js';
import { simulateDecisions, type Visit } from './simulate-decisions.js';
import { DAY_MS } from '../../src/events/day.js';
import { OptionsError } from '../../src/errors.js';

/**
 * Customers per store transaction. Whole customers, not slices of days: each customer's
 * state is then folded and written once (slices of days rewrote every state dozens of
 * times), and a transaction of a few hundred customers keeps fsyncs few.
 */
const CUSTOMERS_PER_BATCH = 250;

/** Days before today whose visits the policy decided on. */
const SIMULATED_DAYS = 7;

export interface SeedOptions {
  store: ChurnStore;
  model: ServingModel;
  policy: PolicySettings;
  customers: number;
  /** Simulated history, in days up to today. Default 180. */
  days?: number;
  seed: number;
  now: number;
  log: (line: string) => void;
  /** Changes the generated events (in time order) before they are stored, e.g. a simulated drift in behaviour (`simulation/subscription-drift.ts`). */
  adjustEvents?: (events: ChurnEvent[]) => ChurnEvent[];
  /**
   * The last day (`YYYY-MM-DD`) of a fixed generated world, moved by whole days to end today.
   * The generator follows the calendar (weekends, the season, the holiday peak), so a world
   * generated to end today is another world every day; a fixed one keeps the same customers
   * and histories whatever the date (the demo's documented story). Default: generated to end today.
   */
  worldEndDate?: string;
}

export interface SeedSummary {
  customers: number;
  events: number;
  decisions: number;
  outcomes: number;
}

/**
 * Seeds an empty store; a store that already has customers is left as it is (null).
 *
 * @example
 * await seedStore({ store, model, policy, customers: 3000, seed: 1, now: Date.now(), log: console.log });
 */
export async function seedStore(options: SeedOptions): Promise<SeedSummary | null> {
  const { store, log, now } = options;
  const existing = await store.countCustomers();
  if (existing > 0) {
    log(`store already holds ${existing} customers: not seeding`);
    return null;
  }
  const startedAt = performance.now();
  const days = options.days ?? 180;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const worldEnd = options.worldEndDate === undefined ? today : Date.parse(`${options.worldEndDate}T00:00:00Z`);
  if (!Number.isFinite(worldEnd)) throw new OptionsError('SEED_OPTION', `seedStore option "worldEndDate" must be a date YYYY-MM-DD, got "${options.worldEndDate}"`);
  const shift = today - worldEnd;
  const startDate = new Date(worldEnd - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  log(`seeding ${options.customers} customers over ${days} days from ${new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10)} (seed ${options.seed}${shift === 0 ? '' : `, the world generated from ${startDate}`})`);

  let generated: ChurnEvent[] = [];
  for (const generatedEvent of generateEvents({ customers: options.customers, days, seed: options.seed, startDate })) {
    const event = shift === 0 ? generatedEvent : { ...generatedEvent, ts: generatedEvent.ts + shift };
    // Today's simulated day runs to midnight; nothing may happen after "now".
    if (event.ts <= now) generated.push(event);
  }
  if (options.adjustEvents) generated = options.adjustEvents(generated).filter((event) => event.ts <= now);
  const byCustomer = eventsByCustomer(generated);
  const customerIds = [...byCustomer.keys()];
  for (let first = 0; first < customerIds.length; first += CUSTOMERS_PER_BATCH) {
    await store.appendEvents(customerIds.slice(first, first + CUSTOMERS_PER_BATCH).flatMap((id) => byCustomer.get(id)!));
  }
  const customers = await store.countCustomers();
  log(`  ${generated.length} events of ${customers} customers stored; the policy decides on the visits of the ${SIMULATED_DAYS} days before today`);

  const simulated = await simulateDecisions({
    store,
    model: options.model,
    policy: options.policy,
    visits: visitsBetween(byCustomer, today - SIMULATED_DAYS * DAY_MS, today),
    outcomesAt: now,
    seed: options.seed,
  });
  log(`  ${simulated.decisions} decisions and ${simulated.outcomes} outcomes recorded; seeded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return { customers, events: generated.length, ...simulated };
}

/**
 * Every session started in [from, to), with the customer's features as they stood at that
 * moment (their events folded up to it): what the policy saw on each visit, in time order.
 */
function visitsBetween(byCustomer: ReadonlyMap<string, readonly ChurnEvent[]>, from: number, to: number): Visit[] {
  const visits: Visit[] = [];
  for (const [customerId, events] of byCustomer) {
    if (!events.some((event) => event.type === 'session_start' && event.ts >= from && event.ts < to)) continue;
    let state = createCustomerState();
    for (const event of events) {
      if (event.ts >= to) break;
      state = applyEvent(state, event);
      if (event.type === 'session_start' && event.ts >= from) visits.push({ customerId, ts: event.ts, features: featuresAt(state, event.ts) });
    }
  }
  return visits.sort((a, b) => a.ts - b.ts);
}
