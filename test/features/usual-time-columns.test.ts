import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type FeatureName } from '../../src/features/feature-definitions.js';
import { MIN_HABIT_DAYS, tableColumns } from '../../src/features/usual-time-columns.js';

const without = (...left: FeatureName[]) => FEATURE_NAMES.filter((name) => !left.includes(name));

/** A batch whose customers were active on the given numbers of distinct days. */
function batch(activeDays: number[], hours: 'varied' | 'midnight') {
  return { activeDays: Uint32Array.from(activeDays), oneHourOfDay: hours === 'midnight' };
}

describe('the columns of a batch feature table', () => {
  it(`writes every feature when the median customer was active on ${MIN_HABIT_DAYS} days or more at varied hours`, () => {
    expect(tableColumns(batch([1, 3, 5, 40], 'varied'))).toEqual({ columns: [...FEATURE_NAMES], leftOut: [] });
  });

  it('leaves out both usual-time pairs when the median customer was seen on fewer days, and says why', () => {
    const { columns, leftOut } = tableColumns(batch([1, 1, 2, 30], 'varied'));
    expect(columns).toEqual(without('hour_sin', 'hour_cos', 'weekday_sin', 'weekday_cos'));
    expect(leftOut).toEqual([
      {
        columns: ['hour_sin', 'hour_cos', 'weekday_sin', 'weekday_cos'],
        reason: `the median customer was active on 1.5 distinct days before the cut-off; a usual hour or weekday needs ${MIN_HABIT_DAYS}`,
      },
    ]);
  });

  it('leaves out only the usual hour when every event fell at the same hour (a log stamped by date)', () => {
    const { columns, leftOut } = tableColumns(batch([4, 9, 12], 'midnight'));
    expect(columns).toEqual(without('hour_sin', 'hour_cos'));
    expect(leftOut.map((group) => group.columns)).toEqual([['hour_sin', 'hour_cos']]);
    expect(leftOut[0]!.reason).toContain('same hour of the day');
  });

  it('keeps the columns of an empty table in FEATURE_NAMES order', () => {
    expect(tableColumns(batch([], 'varied')).columns).toEqual([...FEATURE_NAMES]);
  });
});
