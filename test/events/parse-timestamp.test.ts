import { describe, expect, test } from 'vitest';
import { parseTimestamp } from '../../src/events/parse-event-fields.js';

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
