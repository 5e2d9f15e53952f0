/**
 * First-start seeding of the demo store: generated customers and their events, ending
 * today so "now" is a meaningful time to score at, then a simulated past week of
 * decisions and outcomes (`simulate-decisions.ts`).
 */
import { generateEvents } from '../../src/generate/index.js';
import type { ChurnEvent } from '../../src/events/types.js';
import type { PolicySettings } from '../policy/decide.js';
import type { ServingModel } from '../serving-model.js';
import type { ChurnStore } from '../store/types.js';
import { simulateDecisions } from './simulate-decisions.js';
import { DAY_MS } from '../../src/events/day.js';

/** Events per store transaction: one fsync each, so few and large. */
const BATCH_EVENTS = 5000;

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
  const days = options.days ?? 180;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const startDate = new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  log(`seeding ${options.customers} customers over ${days} days from ${startDate} (seed ${options.seed})`);

  let events = 0;
  let batch: ChurnEvent[] = [];
  let nextReportDay = 0;
  for (const event of generateEvents({ customers: options.customers, days, seed: options.seed, startDate })) {
    // Today's simulated day runs to midnight; nothing may happen after "now".
    if (event.ts > now) continue;
    batch.push(event);
    if (batch.length < BATCH_EVENTS) continue;
    await store.appendEvents(batch);
    events += batch.length;
    batch = [];
    const day = Math.floor((event.ts - (today - (days - 1) * DAY_MS)) / DAY_MS);
    if (day >= nextReportDay) {
      log(`  day ${day + 1}/${days}: ${events} events stored`);
      nextReportDay = day + Math.ceil(days / 6);
    }
  }
  await store.appendEvents(batch);
  events += batch.length;
  const customers = await store.countCustomers();
  log(`  ${events} events of ${customers} customers stored; simulating a week of decisions and outcomes`);

  const simulated = await simulateDecisions({
    store,
    model: options.model,
    policy: options.policy,
    now,
    days: 7,
    seed: options.seed,
  });
  log(`  ${simulated.decisions} decisions and ${simulated.outcomes} outcomes recorded`);
  return { customers, events, ...simulated };
}
