/**
 * The sums and extremes one customer's events reduce to at a cut-off. Both the batch
 * pipeline (arquero, over a whole log) and the online state (one event at a time) produce
 * this record, and `featuresFromAggregates` turns it into features, so the two can only
 * differ in how they add up events, never in what a feature means.
 *
 * Windows are counted in whole UTC days back from the last observed day (the day holding
 * the instant just before the cut-off): "30 d" is that day and the 29 before it, "previous
 * 30 d" the 30 days before those.
 */
import { DAY_MS } from '../events/day.js';
export interface CustomerAggregates {
  firstEventMs: number;
  lastEventMs: number;
  eventsTotal: number;
  events30d: number;
  eventsPrevious30d: number;

  ordersTotal: number;
  revenueTotal: number;
  itemsTotal: number;
  orders7d: number;
  orders30d: number;
  orders90d: number;
  orders365d: number;
  ordersPrevious30d: number;
  revenue7d: number;
  revenue30d: number;
  revenue90d: number;
  revenue365d: number;
  /** Epoch ms of the latest order; meaningless when ordersTotal is 0. */
  lastOrderMs: number;
  /** Distinct UTC days with at least one order, their first and last day index, and the sum of squared gaps between consecutive ones. */
  orderDays: number;
  firstOrderDay: number;
  lastOrderDay: number;
  orderGapSquaresSum: number;

  sessionsTotal: number;
  sessions30d: number;
  pageViewsTotal: number;
  searchesTotal: number;
  addToCartTotal: number;
  refundsTotal: number;
  supportTicketsTotal: number;
  reviewsTotal: number;
  ratingSum: number;
  ratingCount: number;
  couponsTotal: number;
  emailOpens30d: number;
  /** Distinct categories seen, counted up to MAX_TRACKED_CATEGORIES. */
  categoryCount: number;
  channelWeb: number;
  channelApp: number;
  channelSocial: number;
  channelOther: number;
  /** Sums over all events of the cyclic encodings of the hour of day and the weekday (UTC). */
  hourSinSum: number;
  hourCosSum: number;
  weekdaySinSum: number;
  weekdayCosSum: number;
}

/** Category diversity saturates here, which keeps the online state bounded. */
export const MAX_TRACKED_CATEGORIES = 64;

/** The UTC day number of an instant (days since 1970-01-01). */
export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The day the window arithmetic counts back from: the UTC day holding the last instant before the cut-off. */
export function lastObservedDay(cutoffMs: number): number {
  return dayIndex(cutoffMs - 1);
}

/** Cyclic encodings of an instant's UTC hour (0..23) and weekday (Sunday = 0). */
export function hourAngle(ms: number): number {
  const hour = Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
  return (2 * Math.PI * hour) / 24;
}

export function weekdayAngle(ms: number): number {
  // 1970-01-01 was a Thursday (4).
  const weekday = (((dayIndex(ms) + 4) % 7) + 7) % 7;
  return (2 * Math.PI * weekday) / 7;
}
