/**
 * `Date.UTC` for every year: Date.UTC reads the years 0 to 99 as 1900 to 1999, so a time
 * stamped 0025-03-01 (a corrupt export, a spreadsheet's lost century) was taken for 1925:
 * accepted under a lowered --earliest floor, and named as 1925 in every message about it.
 *
 * @example
 * utcTime(25, 2, 1); // 0025-03-01T00:00:00Z, where Date.UTC(25, 2, 1) is 1925-03-01
 */
export function utcTime(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const time = Date.UTC(year, monthIndex, day, hour, minute, second, millisecond);
  // Rare enough for the allocation: the hot path of a log's four-digit years stays Date.UTC alone.
  return year >= 100 ? time : new Date(time).setUTCFullYear(year, monthIndex, day);
}
