/**
 * Two generated storefronts for drift tests: one to train on, one whose customers arrive as
 * live traffic. Customers are the online state at day 150, labelled "no order in the 60 days
 * after", tagged with their segment (the generator's ground truth), in a seeded random order.
 */
import { applyEvent, createCustomerState, featuresAt, type CustomerState } from '../../../src/features/online-state.js';
import { createStorefront } from '../../../src/generate/index.js';
import type { RawRecord } from '../../../src/model/feature-spec.js';
import { createRandom } from '../../../src/train/random.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2025, 0, 1);
const CUTOFF_MS = START_MS + 150 * DAY_MS;

export interface GeneratedCustomer {
  customerId: string;
  segment: string;
  record: RawRecord;
  churned: 0 | 1;
}

/** The customers of a generated store with `customers` customers, in a random order drawn from `seed`. */
export function generatedCustomers(customers: number, seed: number): GeneratedCustomer[] {
  const store = createStorefront({ customers, days: 210, seed, startDate: '2025-01-01' });
  const states = new Map<string, CustomerState>();
  const orderedAfter = new Set<string>();
  for (const event of store.events()) {
    if (event.ts < CUTOFF_MS) states.set(event.customerId, applyEvent(states.get(event.customerId) ?? createCustomerState(), event));
    else if (event.type === 'order') orderedAfter.add(event.customerId);
  }
  const segments = new Map(store.truth().map((truth) => [truth.customerId, truth.segment]));
  const list: GeneratedCustomer[] = [...states].map(([customerId, state]) => ({
    customerId,
    segment: segments.get(customerId)!,
    record: featuresAt(state, CUTOFF_MS),
    churned: orderedAfter.has(customerId) ? 0 : 1,
  }));
  const random = createRandom(seed);
  for (let i = list.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** The first `mix[segment]` customers of each segment. */
export function segmentMix(customers: readonly GeneratedCustomer[], mix: Record<string, number>): GeneratedCustomer[] {
  return Object.entries(mix).flatMap(([segment, count]) => {
    const chosen = customers.filter((customer) => customer.segment === segment).slice(0, count);
    if (chosen.length < count) throw new Error(`only ${chosen.length} ${segment} customers, ${count} wanted`);
    return chosen;
  });
}
