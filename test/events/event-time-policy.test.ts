import { describe, expect, test } from 'vitest';
import { OptionsError } from '../../src/errors.js';
import {
  DEFAULT_EARLIEST_EVENT_MS,
  eventTimeProblem,
  resolveEventTimePolicy,
  type EventTimeCheck,
} from '../../src/events/event-time-policy.js';
import { parseCdnowLine } from '../../src/events/parse-cdnow-line.js';
import { parseEventFields } from '../../src/events/parse-event-fields.js';
import { parseAsOf } from '../../src/features/churn-label.js';

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const policy = resolveEventTimePolicy();
const times: EventTimeCheck = { policy, nowMs: NOW };
const MINUTE = 60_000;

describe('the event-time policy', () => {
  test('accepts times from 1990 up to now plus five minutes, CDNOW 1997 included', () => {
    for (const ts of [DEFAULT_EARLIEST_EVENT_MS, Date.UTC(1997, 0, 1), Date.UTC(2024, 5, 1), NOW, NOW + 5 * MINUTE]) {
      expect(eventTimeProblem(ts, policy, NOW), new Date(ts).toISOString()).toBeUndefined();
    }
  });

  test.each([
    ['next year', Date.UTC(2027, 5, 1), /after 2026-12-02T10:05:00\.000Z, the latest accepted time \(now plus 5 minutes of clock skew\)/],
    ['six minutes ahead', NOW + 6 * MINUTE, /cannot come from the future$/],
    ['1e20', 1e20, /^100000000000000000000 is after/],
    ['microseconds', NOW * 1_000, /looks like microseconds since the epoch: divide by 1,000$/],
    ['nanoseconds', NOW * 1_000_000, /looks like nanoseconds since the epoch: divide by 1,000,000$/],
    ['seconds read as milliseconds', Math.floor(NOW / 1_000), /1970-01-21T.*before 1990-01-01T00:00:00\.000Z.*looks like seconds since the epoch: multiply by 1,000$/],
    ['year 1900', Date.UTC(1900, 0, 1), /before 1990-01-01T00:00:00\.000Z, the earliest accepted time \(older records need a lower floor: --earliest/],
    ['zero', 0, /^0 \(1970-01-01T00:00:00\.000Z\) is before/],
    ['a negative time', -1e18, /^-1000000000000000000 is before/],
  ])('refuses %s, saying which bound it breaks', (_name, ts, message) => {
    expect(eventTimeProblem(ts, policy, NOW)).toMatch(message);
  });

  test('a lower floor lets older records in; the future stays closed', () => {
    const older = resolveEventTimePolicy({ earliestMs: Date.UTC(1970, 0, 1) });
    expect(eventTimeProblem(Date.UTC(1985, 3, 1), older, NOW)).toBeUndefined();
    expect(eventTimeProblem(NOW + 10 * MINUTE, older, NOW)).toMatch(/future/);
    const strict = resolveEventTimePolicy({ futureSkewMs: 0 });
    expect(eventTimeProblem(NOW + 1, strict, NOW)).toMatch(/now plus 0 minutes/);
  });

  test('refuses options it cannot apply, once, with an OptionsError', () => {
    expect(() => resolveEventTimePolicy({ earliestMs: Number.NaN })).toThrow(OptionsError);
    expect(() => resolveEventTimePolicy({ earliestMs: 1e17 })).toThrow(/earliestMs/);
    expect(() => resolveEventTimePolicy({ futureSkewMs: -1 })).toThrow(/futureSkewMs/);
    expect(() => resolveEventTimePolicy({ futureSkewMs: 2 * 86_400_000 })).toThrow(/one day/);
  });
});

describe('parsers apply the policy and name the field', () => {
  test('an event row: field "ts", whether the time was ISO or epoch milliseconds', () => {
    expect(parseEventFields({ customer_id: 'c1', ts: '2027-01-01', type: 'order' }, times)).toEqual({
      field: 'ts',
      message: expect.stringMatching(/^1798761600000 \(2027-01-01T00:00:00\.000Z\) is after/),
    });
    expect(parseEventFields({ customer_id: 'c1', ts: String(NOW * 1000), type: 'order' }, times)).toMatchObject({ field: 'ts', message: /microseconds/ });
    expect(parseEventFields({ customer_id: 'c1', ts: '2024-03-01', type: 'order' }, times)).toMatchObject({ ts: Date.UTC(2024, 2, 1) });
  });

  test('a CDNOW record: field "date"; the 1997 files are well inside the policy', () => {
    expect(parseCdnowLine('00001 19970101 1 11.77', times)).toMatchObject({ ts: Date.UTC(1997, 0, 1) });
    expect(parseCdnowLine('00001 20271231 1 11.77', times)).toMatchObject({ field: 'date', message: /after/ });
    expect(parseCdnowLine('00001 18991231 1 11.77', times)).toMatchObject({ field: 'date', message: /before 1990/ });
  });
});

describe('--as-of is bounded like an event', () => {
  test('today is fine (its end is still to come); tomorrow is the future', () => {
    expect(parseAsOf('2026-12-02', times)).toBe(Date.UTC(2026, 11, 3));
    expect(() => parseAsOf('2026-12-03', times)).toThrow(/--as-of 2026-12-03 is in the future \(it is now 2026-12-02T10:00:00\.000Z\)/);
    expect(() => parseAsOf('2026-12-02T11:00:00Z', times)).toThrow(/in the future/);
  });

  test('an as-of before the floor could observe nothing', () => {
    expect(() => parseAsOf('1985-06-30', times)).toThrow(/before 1990-01-01T00:00:00\.000Z.*--earliest/);
    expect(parseAsOf('1985-06-30', { policy: resolveEventTimePolicy({ earliestMs: Date.UTC(1980, 0, 1) }), nowMs: NOW })).toBe(Date.UTC(1985, 6, 1));
  });
});
