import { describe, expect, test } from 'vitest';
import { computeBatchFeatures } from '../../src/features/batch-features.node.js';
import { EventColumnsBuilder } from '../../src/features/event-columns.js';
import { resolveChurnLabel } from '../../src/features/churn-label.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { syntheticLog } from './synthetic-log.js';

const label = resolveChurnLabel({ asOf: '2023-06-30', horizon: '90d' });
const log = syntheticLog({ customers: 300, seed: 11, startMs: Date.UTC(2022, 0, 1), days: 730 });
const past = log.filter((event) => event.ts < label.cutoffMs);
const future = log.filter((event) => event.ts >= label.cutoffMs);

function featuresOf(events: ChurnEvent[]) {
  const builder = new EventColumnsBuilder(16);
  for (const event of events) builder.add(event);
  return computeBatchFeatures(builder.finish(), { label });
}

describe('features use only events before the cut-off', () => {
  const reference = featuresOf(log);

  test('the log has events on both sides of the cut-off', () => {
    expect(past.length).toBeGreaterThan(1000);
    expect(future.length).toBeGreaterThan(1000);
  });

  const alterations: [string, (events: ChurnEvent[]) => ChurnEvent[]][] = [
    ['dropping every future event', () => []],
    ['shifting future events in time', (events) => events.map((e) => ({ ...e, ts: e.ts + 17 * 86_400_000 + 3_600_000 }))],
    ['changing their types, values and channels', (events) => events.map((e) => ({ ...e, type: 'order', value: 999, channel: 'app', category: 'new' }))],
    ['tripling them and adding customers seen only in the future', (events) => [...events, ...events, ...events, { customerId: 'newcomer', ts: label.cutoffMs, type: 'order' }]],
  ];
  for (const [name, alter] of alterations) {
    test(`${name} leaves every feature of every customer identical`, () => {
      const altered = featuresOf([...past, ...alter(future)]);
      expect(altered.customerIds).toEqual(reference.customerIds);
      expect(altered.features).toEqual(reference.features);
    });
  }

  test('a change just before the cut-off does change features (the test can fail)', () => {
    const last = past[past.length - 1]!;
    const altered = featuresOf([...past.slice(0, -1), { ...last, type: 'order', value: 12345 }, ...future]);
    expect(altered.features).not.toEqual(reference.features);
  });
});
