/**
 * Paging arguments as the stores accept them.
 */

/** A page size or offset: SQLite reads a negative LIMIT as "no limit", so anything not a positive finite number is 0. */
export function toPageCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
