import { describe, expect, test } from 'vitest';
import { parseAsOf, parseDuration, resolveChurnLabel } from '../../src/features/churn-label.js';
import { computeBatchFeatures } from '../../src/features/batch-features.node.js';
import { EventColumnsBuilder } from '../../src/features/event-columns.js';
import { OptionsError } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';

const DAY = 86_400_000;

describe('churn label configuration', () => {
  test('a date alone observes that whole UTC day: the cut-off is the next midnight', () => {
    expect(parseAsOf('1997-09-30')).toBe(Date.UTC(1997, 9, 1));
  });

  test('a date-time is that instant, UTC when it has no zone', () => {
    expect(parseAsOf('1997-09-30T12:30:00Z')).toBe(Date.UTC(1997, 8, 30, 12, 30));
    expect(parseAsOf('1997-09-30T12:30')).toBe(Date.UTC(1997, 8, 30, 12, 30));
    expect(parseAsOf('1997-09-30T12:30:00+02:00')).toBe(Date.UTC(1997, 8, 30, 10, 30));
  });

  test('durations in hours, days and weeks', () => {
    expect(parseDuration('12h', '--gap')).toBe(12 * 3_600_000);
    expect(parseDuration('90d', '--horizon')).toBe(90 * DAY);
    expect(parseDuration('39w', '--horizon')).toBe(273 * DAY);
    expect(parseDuration('0', '--gap')).toBe(0);
  });

  test('rejects impossible dates, unknown units and empty windows, naming the option', () => {
    expect(() => parseAsOf('1997-02-30')).toThrow(/--as-of .*1997-02-30/);
    expect(() => parseAsOf('yesterday')).toThrow(OptionsError);
    expect(() => parseDuration('3 months', '--horizon')).toThrow(/--horizon must be a duration like 90d/);
    expect(() => resolveChurnLabel({ asOf: '2024-01-01', horizon: '30d', gap: '30d' })).toThrow(/--gap/);
    expect(() => resolveChurnLabel({ asOf: '2024-01-01', horizon: '0d' })).toThrow(/--horizon/);
    expect(() => resolveChurnLabel({ asOf: '2024-01-01', horizon: '30d', activeTypes: [' '] })).toThrow(/--active/);
  });

  test('the CDNOW setup labels on the days 1997-10-01 .. 1998-06-30', () => {
    const label = resolveChurnLabel({ asOf: '1997-09-30', horizon: '39w' });
    expect(label.labelStartMs).toBe(Date.UTC(1997, 9, 1));
    expect(label.labelEndMs).toBe(Date.UTC(1998, 6, 1));
  });
});

describe('eligibility and labels', () => {
  const at = (date: string) => Date.parse(`${date}Z`);
  const events: ChurnEvent[] = [
    // a: orders again on the very first label instant (the cut-off itself) → active.
    { customerId: 'a', ts: at('2024-01-10T00:00:00'), type: 'order' },
    { customerId: 'a', ts: at('2024-02-01T00:00:00'), type: 'order' },
    // b: orders only at the (excluded) end of the window → churned.
    { customerId: 'b', ts: at('2024-01-05T00:00:00'), type: 'page_view' },
    { customerId: 'b', ts: at('2024-03-02T00:00:00'), type: 'order' },
    // c: only visits in the window → churned by default, active when visits count.
    { customerId: 'c', ts: at('2024-01-20T00:00:00'), type: 'order' },
    { customerId: 'c', ts: at('2024-02-10T09:00:00'), type: 'session_start' },
    // d: orders inside the gap only.
    { customerId: 'd', ts: at('2024-01-31T23:59:59'), type: 'order' },
    { customerId: 'd', ts: at('2024-02-03T00:00:00'), type: 'order' },
    // e: first seen after the cut-off → not eligible.
    { customerId: 'e', ts: at('2024-02-05T00:00:00'), type: 'order' },
    // the log reaches the window's end.
    { customerId: 'f', ts: at('2024-03-05T00:00:00'), type: 'email_open' },
  ];
  const columnsOf = (list: ChurnEvent[]) => {
    const builder = new EventColumnsBuilder(4);
    for (const event of list) builder.add(event);
    return builder.finish();
  };
  const labelsOf = (options: { gap?: string; activeTypes?: string[] }, list = events) => {
    const batch = computeBatchFeatures(columnsOf(list), { label: resolveChurnLabel({ asOf: '2024-01-31', horizon: '30d', ...options }) });
    return batch.churned ? Object.fromEntries(batch.customerIds.map((id, i) => [id, batch.churned![i]])) : undefined;
  };

  test('eligible customers have an event before the cut-off; churned = no order in [cut-off, cut-off + horizon)', () => {
    expect(labelsOf({})).toEqual({ a: 0, b: 1, c: 1, d: 0 });
  });

  test('the gap moves the start of the label window', () => {
    expect(labelsOf({ gap: '2d' })).toEqual({ a: 1, b: 1, c: 1, d: 0 });
    expect(labelsOf({ gap: '3d' })).toEqual({ a: 1, b: 1, c: 1, d: 1 });
  });

  test('what counts as active is configurable', () => {
    expect(labelsOf({ activeTypes: ['order', 'session_start'] })).toEqual({ a: 0, b: 1, c: 0, d: 0 });
  });

  test('no labels when the log ends before the label window does', () => {
    expect(labelsOf({}, events.filter((event) => event.ts < at('2024-02-29T00:00:00')))).toBeUndefined();
    // A log stamped by date covers the whole day of its last event.
    expect(labelsOf({}, events.filter((event) => event.ts < at('2024-03-02T00:00:01')))).toBeDefined();
  });
});
