import { describe, expect, test } from 'vitest';
import { eventTimeProblem, resolveEventTimePolicy, type EventTimeCheck } from '../../src/events/event-time-policy.js';
import { parseEventFields, parseTimestamp } from '../../src/events/parse-event-fields.js';

const NOW = Date.UTC(2026, 11, 2, 10, 0);
const times: EventTimeCheck = { policy: resolveEventTimePolicy(), nowMs: NOW };
const row = { customer_id: 'c1', ts: '2026-11-30T08:00:00Z', type: 'order' };

describe('event times that do not exist are refused, not rolled over', () => {
  test.each([
    // Century years are leap years only when divisible by 400.
    ['2100-02-29', 'February 29 of a century year that is not a leap year'],
    ['1900-02-29', 'February 29 of 1900'],
    // The fast path for the common shapes checks seconds too (Date.UTC would roll 60 into the next minute).
    ['2024-03-01T10:15:60', 'second 60'],
    ['2024-03-01T10:15:60Z', 'second 60, with Z'],
  ])('rejects %j (%s)', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  test('accepts February 29 of a year divisible by 400', () => {
    expect(parseTimestamp('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });
});

describe('the fast path of the common ISO shapes reads only what has that shape', () => {
  test.each([
    // 20 characters but not ending in Z: not the common shape, and no ISO 8601 either.
    ['2024-03-01T10:15:30X'],
    // Dashes where the time needs colons.
    ['2024-03-01T10-15-30'],
    // ':' is the character after '9': it is no digit, whatever its code minus '0' comes to.
    ['2024-03-0:'],
    ['2024-0;-01'],
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

test('reads a negative epoch-milliseconds string (before 1970) as the number it is', () => {
  // A store with older records lowers the floor (earliestMs) below 1970; its times parse as written.
  expect(parseTimestamp('-86400000')).toBe(-86_400_000);
  const older: EventTimeCheck = { policy: resolveEventTimePolicy({ earliestMs: Date.UTC(1960, 0, 1) }), nowMs: NOW };
  expect(parseEventFields({ ...row, ts: '-86400000' }, older)).toMatchObject({ ts: -86_400_000 });
});

describe('the fields of an event row', () => {
  test('an event type written with spaces around it is the type without them', () => {
    // " order " must count as an order: the features compare the type to 'order'.
    expect(parseEventFields({ ...row, type: ' order ' }, times)).toMatchObject({ type: 'order' });
  });

  test('a value of only spaces is refused, not read as 0', () => {
    expect(parseEventFields({ ...row, value: '   ' }, times)).toEqual({ field: 'value', message: 'expected a finite number or nothing, got "   "' });
  });

  test('a category or channel that is not text (JSON Lines) is refused, naming the field', () => {
    expect(parseEventFields({ ...row, category: 5 }, times)).toEqual({ field: 'category', message: 'expected text or nothing, got 5' });
    expect(parseEventFields({ ...row, channel: { name: 'web' } }, times)).toEqual({ field: 'channel', message: 'expected text or nothing, got {"name":"web"}' });
  });
});

test('a clock-skew allowance that is not whole minutes is named in milliseconds in the refusal', () => {
  const policy = resolveEventTimePolicy({ futureSkewMs: 90_000 });
  expect(eventTimeProblem(NOW + 100_000, policy, NOW)).toMatch(/\(now plus 90000 ms of clock skew\)/);
  expect(eventTimeProblem(NOW + 90_000, policy, NOW)).toBeUndefined();
});
