import { describe, expect, test } from 'vitest';
import { applyEvent, createCustomerState, featuresAt, FEATURE_NAMES, type CustomerState } from '../../src/features/online-state.js';
import { decodeCustomerState, encodeCustomerState } from '../../src/features/state-codec.js';
import { computeBatchFeatures } from '../../src/features/batch-features.node.js';
import { EventColumnsBuilder } from '../../src/features/event-columns.js';
import { resolveChurnLabel } from '../../src/features/churn-label.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { generateEvents } from '../../src/generate/index.js';
import { syntheticLog } from './synthetic-log.js';

const log = syntheticLog({ customers: 250, seed: 7, startMs: Date.UTC(2022, 0, 1), days: 730 });

function batchAt(events: ChurnEvent[], asOf: string) {
  const builder = new EventColumnsBuilder(16);
  for (const event of events) builder.add(event);
  return computeBatchFeatures(builder.finish(), { label: resolveChurnLabel({ asOf, horizon: '90d' }) });
}

function onlineAt(events: ChurnEvent[], cutoffMs: number): Map<string, CustomerState> {
  const states = new Map<string, CustomerState>();
  events.forEach((event, index) => {
    if (event.ts >= cutoffMs) return;
    let state = states.get(event.customerId);
    if (!state) states.set(event.customerId, (state = createCustomerState()));
    applyEvent(state, event);
    // The plugin's stores keep the state as a binary record between events: it must survive the trip.
    if (index % 8 === 0) states.set(event.customerId, decodeCustomerState(encodeCustomerState(state)));
  });
  return states;
}

describe('the online state replays a log to the same features as the batch pipeline', () => {
  for (const asOf of ['2023-06-30', '2023-03-15T13:45:00Z']) {
    test(`every feature of every customer agrees within 1e-9 at ${asOf}`, () => {
      const batch = batchAt(log, asOf);
      const cutoffMs = resolveChurnLabel({ asOf, horizon: '90d' }).cutoffMs;
      const states = onlineAt(log, cutoffMs);

      expect(batch.customerIds.length).toBeGreaterThan(100);
      expect([...batch.customerIds].sort()).toEqual([...states.keys()].sort());
      let compared = 0;
      const mismatches: string[] = [];
      batch.customerIds.forEach((customerId, row) => {
        const online = featuresAt(states.get(customerId)!, cutoffMs);
        FEATURE_NAMES.forEach((name, column) => {
          const batchValue = batch.features[row]![column]!;
          if (!Number.isFinite(batchValue) || !(Math.abs(online[name] - batchValue) <= 1e-9)) {
            mismatches.push(`${customerId} ${name}: online ${online[name]}, batch ${batchValue}`);
          }
          compared++;
        });
      });
      expect(mismatches).toEqual([]);
      expect(compared).toBe(batch.customerIds.length * FEATURE_NAMES.length);
    });
  }

  test('a generated storefront log agrees too, customer by customer', () => {
    const storefront = [...generateEvents({ customers: 150, days: 240, seed: 3, startDate: '2024-01-01' })];
    const asOf = '2024-07-15';
    const batch = batchAt(storefront, asOf);
    const cutoffMs = resolveChurnLabel({ asOf, horizon: '90d' }).cutoffMs;
    const states = onlineAt(storefront, cutoffMs);
    expect(batch.customerIds.length).toBe(states.size);
    expect(batch.customerIds.length).toBeGreaterThan(50);
    let largestDifference = 0;
    batch.customerIds.forEach((customerId, row) => {
      const online = featuresAt(states.get(customerId)!, cutoffMs);
      FEATURE_NAMES.forEach((name, column) => {
        largestDifference = Math.max(largestDifference, Math.abs(online[name] - batch.features[row]![column]!));
      });
    });
    expect(largestDifference).toBeLessThanOrEqual(1e-9);
  });

  test('the log exercises every feature (none is constant across customers)', () => {
    const batch = batchAt(log, '2023-06-30');
    const constant = FEATURE_NAMES.filter((_, column) => new Set(batch.features.map((row) => row[column])).size === 1);
    expect(constant).toEqual([]);
  });

  test('the state stays bounded: at most 365 daily buckets however long the history', () => {
    const state = createCustomerState();
    for (let day = 0; day < 2000; day++) {
      applyEvent(state, { customerId: 'busy', ts: Date.UTC(2020, 0, 1) + day * 86_400_000, type: 'order', value: 10, category: `cat${day}` });
    }
    expect(state.days.length).toBe(365);
    expect(state.categories.length).toBe(64);
    expect(state.orderDays).toBe(2000);
    expect(featuresAt(state, Date.UTC(2020, 0, 1) + 2000 * 86_400_000).gap_mean_days).toBe(1);
  });

  test('a late order between known order days splits the gap it falls into', () => {
    const day = (n: number) => Date.UTC(2024, 0, 1) + n * 86_400_000;
    const inOrder = createCustomerState();
    const late = createCustomerState();
    for (const n of [0, 10, 30]) applyEvent(inOrder, { customerId: 'a', ts: day(n), type: 'order' });
    for (const n of [0, 30, 10]) applyEvent(late, { customerId: 'a', ts: day(n), type: 'order' });
    const expected = featuresAt(inOrder, day(40));
    for (const [name, value] of Object.entries(featuresAt(late, day(40)))) {
      expect(value, name).toBeCloseTo(expected[name as keyof typeof expected], 12);
    }
    expect(featuresAt(late, day(40)).gap_std_days).toBe(5);
  });

  test('bad events are treated alike online and in batch, and never make a feature NaN', () => {
    const customerId = 'odd';
    const odd: ChurnEvent[] = [
      { customerId, ts: Number.NaN, type: 'order', value: 5 },
      { customerId, ts: Date.UTC(2024, 0, 1), type: 'order', value: Number.POSITIVE_INFINITY, quantity: Number.NaN },
      { customerId, ts: Date.UTC(2024, 0, 2), type: 'review', rating: Number.NEGATIVE_INFINITY },
      { customerId, ts: Date.UTC(2024, 0, 3), type: 'refund', value: -50 },
      // Finite, but two of them would sum to Infinity: beyond ±1e12 an amount counts as missing.
      { customerId, ts: Date.UTC(2024, 0, 4), type: 'order', value: 1e308, quantity: 1e308 },
      { customerId, ts: Date.UTC(2024, 0, 5), type: 'order', value: 1e308, quantity: -1e308 },
      { customerId, ts: Date.UTC(2024, 0, 6), type: 'review', rating: 1e308 },
      { customerId, ts: Date.UTC(2024, 0, 7), type: 'review', rating: 1e308 },
    ];
    const batch = batchAt(odd, '2024-01-31');
    const cutoffMs = Date.UTC(2024, 1, 1);
    const online = featuresAt(onlineAt(odd, cutoffMs).get(customerId)!, cutoffMs);
    expect(batch.customerIds).toEqual([customerId]);
    FEATURE_NAMES.forEach((name, column) => expect(batch.features[0]![column], name).toBeCloseTo(online[name], 9));
    expect(batch.features[0]!.every(Number.isFinite)).toBe(true);
    expect(online.log_revenue_total).toBe(0);
  });

  test('bad events never make a feature NaN', () => {
    const state = createCustomerState();
    applyEvent(state, { customerId: 'a', ts: Number.NaN, type: 'order' });
    applyEvent(state, { customerId: 'a', ts: Date.UTC(2024, 0, 1), type: 'order', value: Number.POSITIVE_INFINITY, quantity: Number.NaN });
    applyEvent(state, { customerId: 'a', ts: Date.UTC(2024, 0, 2), type: 'refund', value: -50 });
    for (const value of [...Object.values(featuresAt(state, Date.UTC(2024, 1, 1))), ...Object.values(featuresAt(createCustomerState(), 0))]) {
      expect(Number.isFinite(value)).toBe(true);
    }
  });
});
