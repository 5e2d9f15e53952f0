/**
 * Turning a purchase log into the three numbers BG/NBD works with, per
 * customer: x (repeat purchase days), t_x (weeks from first to last purchase
 * day) and T (weeks from first purchase day to the as-of day).
 */
import type { ChurnEvent } from '../events/types.js';
import { InputError } from '../errors.js';
import { DAY_MS } from '../events/day.js';

/** One customer's purchase history in the shape BG/NBD needs (time unit: weeks). */
export interface CustomerSummary {
  customerId: string;
  /** Repeat purchase days: distinct purchase days after the first one. */
  x: number;
  /** Weeks from the first purchase day to the last purchase day. */
  tx: number;
  /** Weeks from the first purchase day to the as-of day (the day of the last observed instant). */
  T: number;
}

const DAYS_PER_WEEK = 7;

/**
 * Summarises the `order` events of each customer before `cutoffMs`
 * (exclusive, like the feature pipeline's cut-off: `parseAsOf('1997-09-30')`
 * is the next midnight). Time is counted in whole UTC days, as in Fader,
 * Hardie & Lee (2005): several orders on one day are one purchase, and T runs
 * to the day of the last observed instant. Customers without an order before
 * the cut-off are left out. Events may arrive in any order.
 *
 * @example
 * const cutoff = Date.UTC(1997, 9, 1); // observe up to and including 1997-09-30
 * const summaries = await summariseCustomers(readEvents('CDNOW_sample.txt', { format: 'cdnow' }), cutoff);
 * const fit = fitBgNbd(summaries);
 */
export async function summariseCustomers(
  events: Iterable<ChurnEvent> | AsyncIterable<ChurnEvent>,
  cutoffMs: number,
): Promise<CustomerSummary[]> {
  if (!Number.isFinite(cutoffMs)) {
    throw new InputError('BGNBD_CUTOFF', `the cut-off must be a finite epoch-millisecond time, got ${String(cutoffMs)}`, { field: 'cutoff' });
  }
  const asOfDay = Math.floor((cutoffMs - 1) / DAY_MS);
  const purchaseDays = new Map<string, number[]>();
  for await (const event of events) {
    if (event.type !== 'order' || !(event.ts < cutoffMs)) continue;
    const day = Math.floor(event.ts / DAY_MS);
    const days = purchaseDays.get(event.customerId);
    if (days === undefined) purchaseDays.set(event.customerId, [day]);
    // Logs are usually sorted per customer: skip same-day repeats cheaply here, dedupe fully below.
    else if (days[days.length - 1] !== day) days.push(day);
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, days] of purchaseDays) {
    days.sort((left, right) => left - right);
    let distinctDays = 1;
    for (let i = 1; i < days.length; i++) if (days[i] !== days[i - 1]) distinctDays++;
    const firstDay = days[0]!;
    const lastDay = days[days.length - 1]!;
    summaries.push({
      customerId,
      x: distinctDays - 1,
      tx: (lastDay - firstDay) / DAYS_PER_WEEK,
      T: (asOfDay - firstDay) / DAYS_PER_WEEK,
    });
  }
  return summaries;
}
