import { afterEach, describe, expect, test } from 'vitest';
import { OptionsError } from '../../src/errors.js';
import { resolveEventTimePolicy } from '../../src/events/event-time-policy.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { computeBatchFeatures, type BatchFeatures } from '../../src/features/batch-features.node.js';
import { parseAsOf, parseDuration, resolveChurnLabel } from '../../src/features/churn-label.js';
import { EventColumnsBuilder } from '../../src/features/event-columns.js';
import { FEATURE_NAMES, type FeatureName } from '../../src/features/feature-definitions.js';
import { tableColumns } from '../../src/features/usual-time-columns.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}Z`);

function columnsOf(events: readonly ChurnEvent[], capacity = 1 << 16) {
  const builder = new EventColumnsBuilder(capacity);
  for (const event of events) builder.add(event);
  return builder.finish();
}

/** Features at the end of 2024-01-31 (cut-off 2024-02-01T00:00Z), labels over the next 30 days. */
function batchOf(events: readonly ChurnEvent[], options: { activeTypes?: string[] } = {}): BatchFeatures {
  return computeBatchFeatures(columnsOf(events), { label: resolveChurnLabel({ asOf: '2024-01-31', horizon: '30d', ...options }) });
}

function featuresOf(events: readonly ChurnEvent[], customerId = 'a'): Record<FeatureName, number> {
  const batch = batchOf(events);
  const row = batch.features[batch.customerIds.indexOf(customerId)]!;
  return Object.fromEntries(FEATURE_NAMES.map((name, f) => [name, row[f]!])) as Record<FeatureName, number>;
}

const order = (iso: string, extra: Partial<ChurnEvent> = {}): ChurnEvent => ({ customerId: 'a', ts: at(iso), type: 'order', value: 20, ...extra });
const event = (iso: string, type: string, extra: Partial<ChurnEvent> = {}): ChurnEvent => ({ customerId: 'a', ts: at(iso), type, ...extra });

describe('churn label options', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    if (originalZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalZone;
  });

  test('a duration may have a fraction: 1.5d is 36 hours', () => {
    expect(parseDuration('1.5d', '--horizon')).toBe(36 * 3_600_000);
  });

  test("a date-time without a zone is UTC whatever the machine's time zone", () => {
    process.env.TZ = 'America/New_York';
    expect(parseAsOf('2024-01-10T12:00')).toBe(Date.UTC(2024, 0, 10, 12));
  });

  test("today is a valid as-of date (its end is still to come); tomorrow is not", () => {
    const times = { policy: resolveEventTimePolicy(), nowMs: Date.UTC(2024, 5, 10, 9) };
    expect(parseAsOf('2024-06-10', times)).toBe(Date.UTC(2024, 5, 11));
    expect(() => parseAsOf('2024-06-11', times)).toThrow(/in the future/);
  });

  test('an as-of instant at the earliest accepted event time is refused: nothing could be observed before it', () => {
    const times = { policy: resolveEventTimePolicy({ earliestMs: Date.UTC(2000, 0, 1) }), nowMs: Date.UTC(2024, 0, 1) };
    expect(() => parseAsOf('2000-01-01T00:00:00Z', times)).toThrow(/earliest accepted event time/);
    expect(parseAsOf('2000-01-01T00:00:01Z', times)).toBe(Date.UTC(2000, 0, 1, 0, 0, 1));
  });

  test('a zero horizon is refused as a horizon (OPTION_HORIZON), not as a gap', () => {
    expect(() => resolveChurnLabel({ asOf: '2024-01-31', horizon: '0d' })).toThrow(expect.objectContaining({ code: 'OPTION_HORIZON' }));
  });

  test('the label window is [cut-off + gap, cut-off + horizon): the gap moves only its start', () => {
    const label = resolveChurnLabel({ asOf: '2024-01-31', horizon: '30d', gap: '2d' });
    expect(label.labelStartMs).toBe(Date.UTC(2024, 1, 3));
    expect(label.labelEndMs).toBe(Date.UTC(2024, 2, 2));
  });

  test('active event types are read without surrounding spaces', () => {
    expect(resolveChurnLabel({ asOf: '2024-01-31', horizon: '30d', activeTypes: [' order ', 'session_start'] }).activeTypes).toEqual(['order', 'session_start']);
  });

  test('an empty list of active types is refused', () => {
    expect(() => resolveChurnLabel({ asOf: '2024-01-31', horizon: '30d', activeTypes: [] })).toThrow(OptionsError);
  });
});

describe('batch labels', () => {
  test('a log whose last event falls on the last day of the label window covers it: labels are given', () => {
    const events = [order('2024-01-10T10:00:00'), { ...order('2024-03-01T10:00:00'), customerId: 'z' }];
    // Window [2024-02-01, 2024-03-02): 2024-03-01 is its last day.
    expect(batchOf(events).churned).toBeDefined();
  });

  test('every customer churned when no event of an active type appears in the log at all', () => {
    const events = [order('2024-01-10T10:00:00'), event('2024-02-10T10:00:00', 'page_view'), { ...order('2024-03-05T00:00:00'), customerId: 'z' }];
    expect(Array.from(batchOf(events, { activeTypes: ['session_start'] }).churned!)).toEqual([1]);
  });
});

describe('batch table facts', () => {
  test('counts distinct active days, not events', () => {
    const events = [order('2024-01-10T01:00:00'), event('2024-01-10T05:00:00', 'page_view'), event('2024-01-10T23:00:00', 'search'), order('2024-01-12T10:00:00')];
    expect(Array.from(batchOf(events).activeDays)).toEqual([2]);
  });

  test('notices varied hours of the day, and reads only events before the cut-off for it', () => {
    expect(batchOf([order('2024-01-10T00:00:00'), order('2024-01-12T13:00:00')]).oneHourOfDay).toBe(false);
    expect(batchOf([order('2024-01-10T00:00:00'), order('2024-01-12T00:00:00'), order('2024-02-05T13:00:00')]).oneHourOfDay).toBe(true);
  });

  test('category diversity saturates at 64 categories', () => {
    const events = Array.from({ length: 70 }, (_, i) => event(`2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00`, 'page_view', { category: `c${i}` }));
    expect(featuresOf(events).category_count).toBe(64);
  });
});

describe('event features (docs/events.md)', () => {
  test('before a first order, recency is the whole tenure', () => {
    const features = featuresOf([event('2024-01-21T00:00:00', 'page_view')]);
    expect(features.tenure_days).toBe(11);
    expect(features.recency_days).toBe(11);
  });

  test('one order day gives gap mean, gap spread and overdue ratio 0, not NaN', () => {
    const features = featuresOf([order('2024-01-20T10:00:00'), order('2024-01-20T15:00:00')]);
    expect([features.gap_mean_days, features.gap_std_days, features.log_overdue_ratio]).toEqual([0, 0, 0]);
  });

  test('refunds that make revenue negative give a negative log revenue, not NaN', () => {
    const features = featuresOf([order('2024-01-20T10:00:00', { value: -50 })]);
    expect(features.log_revenue_total).toBeCloseTo(-Math.log1p(50), 12);
  });

  test('order trend is 0 with no orders in either 30 days, +1 with orders in the last 30 days only', () => {
    expect(featuresOf([order('2023-10-01T10:00:00')]).order_trend_30d).toBe(0);
    expect(featuresOf([order('2024-01-20T10:00:00')]).order_trend_30d).toBe(1);
    expect(featuresOf([order('2023-12-20T10:00:00')]).order_trend_30d).toBe(-1);
  });

  test('cart abandonment is clamped at 0 when more orders than carts were tracked', () => {
    const features = featuresOf([event('2024-01-20T09:00:00', 'add_to_cart'), order('2024-01-20T10:00:00'), order('2024-01-22T10:00:00')]);
    expect(features.cart_abandonment_rate).toBe(0);
  });

  test('order days per 30 days divide by at least one day of tenure', () => {
    const features = featuresOf([order('2024-01-31T23:00:00')]);
    expect(features.log_order_days_per_30d).toBeCloseTo(Math.log1p(30), 12);
  });

  test('channel shares are shares of the events that name a channel', () => {
    const features = featuresOf([event('2024-01-20T09:00:00', 'page_view', { channel: 'app' }), event('2024-01-21T09:00:00', 'page_view')]);
    expect(features.channel_app_share).toBe(1);
  });

  test('mean rating averages the reviews that carry a rating', () => {
    const features = featuresOf([event('2024-01-20T09:00:00', 'review', { rating: 4 }), event('2024-01-21T09:00:00', 'review')]);
    expect(features.mean_rating).toBe(4);
  });

  test('windows count whole UTC days back from the last observed day: 7 d is that day and the 6 before it', () => {
    expect(featuresOf([order('2024-01-25T00:00:00')]).log_orders_7d).toBeCloseTo(Math.log1p(1), 12);
    expect(featuresOf([order('2024-01-24T23:59:59')]).log_orders_7d).toBe(0);
  });

  test('orders at 01:00 and 23:00 of one day are one order day', () => {
    expect(featuresOf([order('2024-01-20T01:00:00'), order('2024-01-20T23:00:00')]).log_order_days).toBeCloseTo(Math.log1p(1), 12);
  });

  test('a non-finite order value counts as 0 revenue and a non-finite quantity as 1 item', () => {
    const features = featuresOf([order('2024-01-20T10:00:00', { value: Infinity, quantity: Number.NaN }), order('2024-01-21T10:00:00', { value: 30, quantity: Infinity })]);
    expect(features.log_revenue_total).toBeCloseTo(Math.log1p(30), 12);
    expect(features.log_items_total).toBeCloseTo(Math.log1p(2), 12);
  });
});

describe('EventColumnsBuilder', () => {
  test('keeps every event when it grows past its initial capacity', () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ customerId: `c${i % 7}`, ts: Date.UTC(2024, 0, 1) + i * 3_600_000, type: 'order' }));
    const columns = columnsOf(events, 16);
    expect(columns.length).toBe(100);
    expect(Array.from(columns.ts)).toEqual(events.map((e) => e.ts));
    expect(Array.from(columns.customer)).toEqual(events.map((_, i) => i % 7));
  });

  test('skips an event without a finite time', () => {
    expect(columnsOf([{ customerId: 'a', ts: Number.NaN, type: 'order' }]).length).toBe(0);
  });

  test('gives an instant before 1970 its UTC hour and weekday', () => {
    const columns = columnsOf([{ customerId: 'a', ts: -3_600_000, type: 'order' }, { customerId: 'a', ts: -8 * DAY + 23 * 3_600_000, type: 'order' }]);
    // 1969-12-31T23:00Z and 1969-12-24T23:00Z, both Wednesdays.
    expect([columns.hour[0], columns.weekday[0], columns.day[0]]).toEqual([23, 3, -1]);
    expect([columns.hour[1], columns.weekday[1], columns.day[1]]).toEqual([23, 3, -8]);
  });

  test('codes an event without a channel as none, not as another channel', () => {
    expect(columnsOf([{ customerId: 'a', ts: 0, type: 'order' }]).channel[0]).toBe(0);
  });
});

describe('tableColumns', () => {
  test('takes the median of unsorted active days', () => {
    expect(tableColumns({ activeDays: Uint32Array.from([5, 1, 5, 1, 1]), oneHourOfDay: false }).leftOut).toHaveLength(1);
    expect(tableColumns({ activeDays: Uint32Array.from([1, 5, 1, 5, 5]), oneHourOfDay: false }).leftOut).toHaveLength(0);
  });

  test('an empty table keeps every column even when it has no hours', () => {
    expect(tableColumns({ activeDays: new Uint32Array(0), oneHourOfDay: true })).toEqual({ columns: [...FEATURE_NAMES], leftOut: [] });
  });

  test('leaves out the usual-time pairs once, when few days and one hour both hold', () => {
    const { leftOut } = tableColumns({ activeDays: Uint32Array.from([1, 1, 1]), oneHourOfDay: true });
    expect(leftOut).toHaveLength(1);
    expect(leftOut[0]!.columns).toEqual(['hour_sin', 'hour_cos', 'weekday_sin', 'weekday_cos']);
  });
});
