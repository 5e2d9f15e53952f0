import { describe, expect, test } from 'vitest';
import { parseTimestamp } from '../../src/events/parse-event-fields.js';
import { parseCdnowLine } from '../../src/events/parse-cdnow-line.js';
import { parseAsOf } from '../../src/features/churn-label.js';

describe('event times', () => {
  test.each([
    ['2024-03-01', Date.UTC(2024, 2, 1)],
    ['2024-03-01T10:15', Date.UTC(2024, 2, 1, 10, 15)],
    ['2024-03-01T10:15:30Z', Date.UTC(2024, 2, 1, 10, 15, 30)],
    ['2024-03-01 10:15:30', Date.UTC(2024, 2, 1, 10, 15, 30)],
    ['2024-03-01T10:15:30.5Z', Date.UTC(2024, 2, 1, 10, 15, 30, 500)],
    ['2024-03-01T10:15:30.123456Z', Date.UTC(2024, 2, 1, 10, 15, 30, 123)],
    ['2024-03-01T10:15:30+02:00', Date.UTC(2024, 2, 1, 8, 15, 30)],
    ['2024-03-01T10:15:30-0130', Date.UTC(2024, 2, 1, 11, 45, 30)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['1709288100000', 1709288100000],
    [' 1709288100000 ', 1709288100000],
    [1709288100000, 1709288100000],
  ])('reads %j (UTC unless a zone is given)', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  test.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-03-01T24:00', '2024-03-01T10:60', 'yesterday', '', '2024/03/01', Number.NaN, null])(
    'rejects %j',
    (text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    },
  );
});

describe('times from the wrong century keep their year (Date.UTC reads 0 to 99 as 1900 to 1999)', () => {
  /** 0025-03-01T00:00:00Z, written without Date.UTC. */
  const march25 = new Date('0025-03-01T00:00:00Z').getTime();
  const anyTime = { policy: { earliestMs: -Infinity, futureSkewMs: Infinity }, nowMs: Date.now() };

  test.each([
    ['0025-03-01', march25],
    ['0025-03-01T10:15:30Z', march25 + (10 * 3600 + 15 * 60 + 30) * 1000],
    ['0025-03-01T10:15:30.5+01:00', march25 + (9 * 3600 + 15 * 60 + 30) * 1000 + 500],
    ['0000-02-29', new Date('0000-02-29T00:00:00Z').getTime()],
  ])('an event time %j is in its own year, not in the 1900s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
    expect(new Date(parseTimestamp(text)!).getUTCFullYear()).toBeLessThan(100);
  });

  test('an --as-of day and a CDNOW date too', () => {
    expect(parseAsOf('0025-02-28', anyTime)).toBe(march25);
    expect(parseCdnowLine('00004 00250301 2 29.33', anyTime)).toMatchObject({ ts: march25 });
  });
});
