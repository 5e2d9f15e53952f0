/**
 * The features of one customer, kept up to date one event at a time: what a storefront's
 * store (SQLite, Redis) keeps per customer so it can score without re-reading a log. The
 * state is plain data and bounded: lifetime sums plus one small bucket for each of the
 * customer's 365 most recent active UTC days — never a list of events. Stores keep it in the
 * compact binary form of `state-codec.ts`. Runtime-neutral (no Node built-ins).
 *
 * `featuresAt` gives exactly the numbers the batch pipeline computes at the same cut-off
 * (tested to 1e-9) provided the cut-off is after the latest event (the plugin's "now"). An
 * event that arrives late still counts in every sum; only the gap statistics of an order older
 * than every kept day are approximate. No event erases what the state knows: sums only grow,
 * and a day bucket leaves only when a more recent active day takes its place in a full state.
 * Keeping event times sane (nothing from the future, nothing before 1990) is the readers' and
 * the plugin's job: see `events/event-time-policy.ts` and docs/events.md.
 */
import type { ChurnEvent } from '../events/types.js';
import { isUsableAmount } from '../events/event-amount.js';
import {
  MAX_TRACKED_CATEGORIES,
  dayIndex,
  hourAngle,
  lastObservedDay,
  weekdayAngle,
  type CustomerAggregates,
} from './customer-aggregates.js';
import { FEATURE_NAMES, featuresFromAggregates, type FeatureName } from './feature-definitions.js';

export { FEATURE_NAMES, type FeatureName };

/** Most day buckets kept: the longest window is 365 days, which holds at most 365 active days. */
export const RETAINED_DAYS = 365;

/** One active UTC day: [day index, events, orders, revenue, sessions, email opens]. */
export type DayBucket = [number, number, number, number, number, number];
const BUCKET_DAY = 0;
const BUCKET_EVENTS = 1;
const BUCKET_ORDERS = 2;
const BUCKET_REVENUE = 3;
const BUCKET_SESSIONS = 4;
const BUCKET_EMAIL_OPENS = 5;

/** Everything churnkit remembers about one customer: plain data (`state-codec.ts` stores it in a few hundred bytes). */
export interface CustomerState {
  version: 1;
  /** null until the first event. */
  firstEventMs: number | null;
  lastEventMs: number | null;
  eventsTotal: number;
  ordersTotal: number;
  revenueTotal: number;
  itemsTotal: number;
  lastOrderMs: number | null;
  orderDays: number;
  firstOrderDay: number | null;
  lastOrderDay: number | null;
  orderGapSquaresSum: number;
  sessionsTotal: number;
  pageViewsTotal: number;
  searchesTotal: number;
  addToCartTotal: number;
  refundsTotal: number;
  supportTicketsTotal: number;
  reviewsTotal: number;
  ratingSum: number;
  ratingCount: number;
  couponsTotal: number;
  /** Distinct categories, at most MAX_TRACKED_CATEGORIES. */
  categories: string[];
  channels: { web: number; app: number; social: number; other: number };
  hourSinSum: number;
  hourCosSum: number;
  weekdaySinSum: number;
  weekdayCosSum: number;
  /** The 365 most recent active days (or fewer), oldest first. */
  days: DayBucket[];
}

/**
 * A customer with no events yet.
 *
 * @example
 * ```ts
 * const state = createCustomerState();
 * applyEvent(state, { customerId: 'c1', ts: Date.parse('2024-05-01T10:00:00Z'), type: 'order', value: 42 });
 * featuresAt(state, Date.now()).recency_days;
 * ```
 */
export function createCustomerState(): CustomerState {
  return {
    version: 1,
    firstEventMs: null,
    lastEventMs: null,
    eventsTotal: 0,
    ordersTotal: 0,
    revenueTotal: 0,
    itemsTotal: 0,
    lastOrderMs: null,
    orderDays: 0,
    firstOrderDay: null,
    lastOrderDay: null,
    orderGapSquaresSum: 0,
    sessionsTotal: 0,
    pageViewsTotal: 0,
    searchesTotal: 0,
    addToCartTotal: 0,
    refundsTotal: 0,
    supportTicketsTotal: 0,
    reviewsTotal: 0,
    ratingSum: 0,
    ratingCount: 0,
    couponsTotal: 0,
    categories: [],
    channels: { web: 0, app: 0, social: 0, other: 0 },
    hourSinSum: 0,
    hourCosSum: 0,
    weekdaySinSum: 0,
    weekdayCosSum: 0,
    days: [],
  };
}

function usableOr(value: number | undefined, fallback: number): number {
  return isUsableAmount(value) ? value : fallback;
}

/**
 * Adds one event to a customer's state (in place) and returns the state. An event without a
 * finite time is ignored; a missing, non-finite or out-of-range value (beyond
 * ±EVENT_AMOUNT_LIMIT) counts as 0, such a quantity of an order as 1 item.
 *
 * @example
 * ```ts
 * const state = applyEvent(createCustomerState(), { customerId: 'c1', ts: 1714557600000, type: 'page_view' });
 * ```
 */
export function applyEvent(state: CustomerState, event: ChurnEvent): CustomerState {
  const ts = event.ts;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return state;
  const day = dayIndex(ts);
  const isOrder = event.type === 'order';
  const value = usableOr(event.value, 0);

  if (isOrder) recordOrderDay(state, day);
  state.firstEventMs = state.firstEventMs === null ? ts : Math.min(state.firstEventMs, ts);
  state.lastEventMs = state.lastEventMs === null ? ts : Math.max(state.lastEventMs, ts);
  state.eventsTotal++;
  const hour = hourAngle(ts);
  const weekday = weekdayAngle(ts);
  state.hourSinSum += Math.sin(hour);
  state.hourCosSum += Math.cos(hour);
  state.weekdaySinSum += Math.sin(weekday);
  state.weekdayCosSum += Math.cos(weekday);

  switch (event.type) {
    case 'order':
      state.ordersTotal++;
      state.revenueTotal += value;
      state.itemsTotal += usableOr(event.quantity, 1);
      state.lastOrderMs = state.lastOrderMs === null ? ts : Math.max(state.lastOrderMs, ts);
      break;
    case 'session_start':
      state.sessionsTotal++;
      break;
    case 'page_view':
      state.pageViewsTotal++;
      break;
    case 'search':
      state.searchesTotal++;
      break;
    case 'add_to_cart':
      state.addToCartTotal++;
      break;
    case 'refund':
      state.refundsTotal++;
      break;
    case 'support_ticket':
      state.supportTicketsTotal++;
      break;
    case 'review':
      state.reviewsTotal++;
      if (isUsableAmount(event.rating)) {
        state.ratingSum += event.rating;
        state.ratingCount++;
      }
      break;
    case 'coupon_redeemed':
      state.couponsTotal++;
      break;
  }

  if (event.category && state.categories.length < MAX_TRACKED_CATEGORIES && !state.categories.includes(event.category)) {
    state.categories.push(event.category);
  }
  if (event.channel) {
    const channel = event.channel === 'web' || event.channel === 'app' || event.channel === 'social' ? event.channel : 'other';
    state.channels[channel]++;
  }
  addToDayBucket(state, day, event.type, value);
  return state;
}

/** Keeps the distinct order days' count, span and sum of squared gaps as an order day arrives. */
function recordOrderDay(state: CustomerState, day: number): void {
  const first = state.firstOrderDay;
  const last = state.lastOrderDay;
  if (first === null || last === null) {
    state.orderDays = 1;
    state.firstOrderDay = day;
    state.lastOrderDay = day;
    return;
  }
  if (day === first || day === last) return;
  if (day > last) {
    state.orderGapSquaresSum += (day - last) ** 2;
    state.lastOrderDay = day;
  } else if (day < first) {
    state.orderGapSquaresSum += (first - day) ** 2;
    state.firstOrderDay = day;
  } else {
    // A late order between known order days splits one gap in two; find its neighbours among
    // the kept days (beyond them, the oldest order day is the best estimate left).
    let previous = first;
    let next = last;
    for (const bucket of state.days) {
      if (bucket[BUCKET_ORDERS] === 0) continue;
      const bucketDay = bucket[BUCKET_DAY];
      if (bucketDay === day) return;
      if (bucketDay < day) previous = Math.max(previous, bucketDay);
      else next = Math.min(next, bucketDay);
    }
    state.orderGapSquaresSum += (day - previous) ** 2 + (next - day) ** 2 - (next - previous) ** 2;
  }
  state.orderDays++;
}

/**
 * Counts the event in its day's bucket. The state keeps the RETAINED_DAYS most recent active
 * days: a count, not a date range, so that no single event can empty it. A day is dropped only
 * when a more recent active day takes its place in a full state, and then only the oldest one;
 * the RETAINED_DAYS most recent active days include every active day of the 365 before the
 * latest event, which is all any window reads at a cut-off after it.
 */
function addToDayBucket(state: CustomerState, day: number, type: string, value: number): void {
  let index = state.days.length;
  while (index > 0 && state.days[index - 1]![BUCKET_DAY] > day) index--;
  let bucket = state.days[index - 1];
  if (bucket === undefined || bucket[BUCKET_DAY] !== day) {
    // A full state has no room for a day older than all it keeps.
    if (index === 0 && state.days.length >= RETAINED_DAYS) return;
    bucket = [day, 0, 0, 0, 0, 0];
    state.days.splice(index, 0, bucket);
    if (state.days.length > RETAINED_DAYS) state.days.shift();
  }
  bucket[BUCKET_EVENTS]++;
  if (type === 'order') {
    bucket[BUCKET_ORDERS]++;
    bucket[BUCKET_REVENUE] += value;
  } else if (type === 'session_start') {
    bucket[BUCKET_SESSIONS]++;
  } else if (type === 'email_open') {
    bucket[BUCKET_EMAIL_OPENS]++;
  }
}

/** The aggregates of a state at a cut-off (windows are read from the daily buckets). */
export function aggregatesOf(state: CustomerState, cutoffMs: number): CustomerAggregates {
  const aggregates = aggregatesBeforeDays(state, cutoffMs, state.categories.length);
  const observedDay = lastObservedDay(cutoffMs);
  for (const bucket of state.days) {
    addDayToWindows(
      aggregates,
      observedDay - bucket[BUCKET_DAY],
      bucket[BUCKET_EVENTS],
      bucket[BUCKET_ORDERS],
      bucket[BUCKET_REVENUE],
      bucket[BUCKET_SESSIONS],
      bucket[BUCKET_EMAIL_OPENS],
    );
  }
  return aggregates;
}

/**
 * The aggregates of a state's lifetime sums, with every windowed sum still 0 (its days are
 * added by `addDayToWindows`), written into `into` (every field: a reused object comes out
 * as a fresh one would). `state.days` and `state.categories` are not read, so the binary
 * state reader (`state-codec.ts`) can pass its decoded sums without building them, and
 * reuse one aggregates object for every read.
 */
export function aggregatesBeforeDays(
  state: CustomerState,
  cutoffMs: number,
  categoryCount: number,
  into = {} as CustomerAggregates,
): CustomerAggregates {
  into.firstEventMs = state.firstEventMs ?? cutoffMs;
  into.lastEventMs = state.lastEventMs ?? cutoffMs;
  into.eventsTotal = state.eventsTotal;
  into.events30d = 0;
  into.eventsPrevious30d = 0;
  into.ordersTotal = state.ordersTotal;
  into.revenueTotal = state.revenueTotal;
  into.itemsTotal = state.itemsTotal;
  into.orders7d = 0;
  into.orders30d = 0;
  into.orders90d = 0;
  into.orders365d = 0;
  into.ordersPrevious30d = 0;
  into.revenue7d = 0;
  into.revenue30d = 0;
  into.revenue90d = 0;
  into.revenue365d = 0;
  into.lastOrderMs = state.lastOrderMs ?? cutoffMs;
  into.orderDays = state.orderDays;
  into.firstOrderDay = state.firstOrderDay ?? 0;
  into.lastOrderDay = state.lastOrderDay ?? 0;
  into.orderGapSquaresSum = state.orderGapSquaresSum;
  into.sessionsTotal = state.sessionsTotal;
  into.sessions30d = 0;
  into.pageViewsTotal = state.pageViewsTotal;
  into.searchesTotal = state.searchesTotal;
  into.addToCartTotal = state.addToCartTotal;
  into.refundsTotal = state.refundsTotal;
  into.supportTicketsTotal = state.supportTicketsTotal;
  into.reviewsTotal = state.reviewsTotal;
  into.ratingSum = state.ratingSum;
  into.ratingCount = state.ratingCount;
  into.couponsTotal = state.couponsTotal;
  into.emailOpens30d = 0;
  into.categoryCount = categoryCount;
  into.channelWeb = state.channels.web;
  into.channelApp = state.channels.app;
  into.channelSocial = state.channels.social;
  into.channelOther = state.channels.other;
  into.hourSinSum = state.hourSinSum;
  into.hourCosSum = state.hourCosSum;
  into.weekdaySinSum = state.weekdaySinSum;
  into.weekdayCosSum = state.weekdayCosSum;
  return into;
}

/**
 * Adds one active day, `age` days before the last observed day, to the windowed sums. Shared
 * with the binary state reader (`state-codec.ts`), so features read from either form are
 * the same additions in the same order: bit-identical.
 */
export function addDayToWindows(
  aggregates: CustomerAggregates,
  age: number,
  events: number,
  orders: number,
  revenue: number,
  sessions: number,
  emailOpens: number,
): void {
  if (age < 0) return;
  if (age < 7) {
    aggregates.orders7d += orders;
    aggregates.revenue7d += revenue;
  }
  if (age < 30) {
    aggregates.orders30d += orders;
    aggregates.revenue30d += revenue;
    aggregates.events30d += events;
    aggregates.sessions30d += sessions;
    aggregates.emailOpens30d += emailOpens;
  } else if (age < 60) {
    aggregates.ordersPrevious30d += orders;
    aggregates.eventsPrevious30d += events;
  }
  if (age < 90) {
    aggregates.orders90d += orders;
    aggregates.revenue90d += revenue;
  }
  if (age < 365) {
    aggregates.orders365d += orders;
    aggregates.revenue365d += revenue;
  }
}

/**
 * The customer's features at `asOfMs` (epoch ms), keyed by FEATURE_NAMES. A customer with no
 * events yet gets zeros for everything.
 *
 * @example
 * ```ts
 * const features = featuresAt(state, Date.now());
 * const row = FEATURE_NAMES.map((name) => features[name]);
 * ```
 */
export function featuresAt(state: CustomerState, asOfMs: number): Record<FeatureName, number> {
  return featuresFromAggregates(aggregatesOf(state, asOfMs), asOfMs);
}
