import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { CHANNEL_CODES, type EventColumns } from './event-columns.js';
import { lastObservedDay, MAX_TRACKED_CATEGORIES, type CustomerAggregates } from './customer-aggregates.js';
import { DAY_MS } from '../events/day.js';
import { FEATURE_NAMES, featuresFromAggregates, type FeatureName } from './feature-definitions.js';
import type { ChurnLabelConfig } from './churn-label.js';

/**
 * The batch feature pipeline: from an event log packed into columns to one row of features
 * per eligible customer (and the churn label when the log covers the label window), using
 * only events strictly before the cut-off. arquero does the filtering and the grouped
 * aggregation; `featuresFromAggregates` — shared with the online state — turns each
 * customer's aggregates into features.
 */
export interface BatchFeatures {
  /** Eligible customers: at least one event (of any type) before the cut-off, in first-seen order. */
  customerIds: string[];
  /** features[i][f] is feature FEATURE_NAMES[f] of customer i. */
  features: Float64Array[];
  /** 0/1 per customer, or undefined when the log ends before the label window does. */
  churned: Uint8Array | undefined;
  /** Distinct UTC days with an event before the cut-off, per customer (what `tableColumns` reads). */
  activeDays: Uint32Array;
  /** Every event before the cut-off fell at the same UTC hour of the day, as in a log stamped by date. */
  oneHourOfDay: boolean;
}

export interface BatchOptions {
  /** The churn definition: its cut-off is where features stop, its window where labels come from. */
  label: ChurnLabelConfig;
}

type Row = Record<string, number>;

/**
 * Computes the feature table of a log at the label's cut-off.
 *
 * @example
 * ```ts
 * const columns = await readEventColumns('events.csv', { format: 'csv' });
 * const batch = computeBatchFeatures(columns, { label: resolveChurnLabel({ asOf: '2024-06-30', horizon: '90d' }) });
 * ```
 */
export function computeBatchFeatures(columns: EventColumns, options: BatchOptions): BatchFeatures {
  const { label } = options;
  const cutoff = label.cutoffMs;
  const observed = lastObservedDay(cutoff);
  const typeCode = (name: string) => columns.types.indexOf(name);

  const log = aq.table({
    customer: columns.customer,
    ts: columns.ts,
    day: columns.day,
    hour: columns.hour,
    weekday: columns.weekday,
    type: columns.type,
    value: columns.value,
    quantity: columns.quantity,
    rating: columns.rating,
    category: columns.category,
    channel: columns.channel,
  });
  // No leakage: everything below reads only this view of the log.
  const history = log.filter(`d.ts < ${cutoff}`).reify();
  const inDays = (from: number, to: number) => `d.day <= ${observed - from} && d.day > ${observed - to}`;

  const isType = (name: string) => `d.type === ${typeCode(name)}`;
  const count = (condition: string) => `op.sum(${condition} ? 1 : 0)`;
  // One grouping and one pass over the history for everything counted per customer.
  const activity = history.groupby('customer').rollup({
    firstEventMs: 'op.min(d.ts)',
    lastEventMs: 'op.max(d.ts)',
    eventsTotal: 'op.count()',
    activeDays: 'op.distinct(d.day)',
    events30d: count(inDays(0, 30)),
    eventsPrevious30d: count(inDays(30, 60)),
    ordersTotal: count(isType('order')),
    sessionsTotal: count(isType('session_start')),
    sessions30d: count(`${isType('session_start')} && ${inDays(0, 30)}`),
    pageViewsTotal: count(isType('page_view')),
    searchesTotal: count(isType('search')),
    addToCartTotal: count(isType('add_to_cart')),
    refundsTotal: count(isType('refund')),
    supportTicketsTotal: count(isType('support_ticket')),
    reviewsTotal: count(isType('review')),
    couponsTotal: count(isType('coupon_redeemed')),
    emailOpens30d: count(`${isType('email_open')} && ${inDays(0, 30)}`),
    channelWeb: count(`d.channel === ${CHANNEL_CODES.web}`),
    channelApp: count(`d.channel === ${CHANNEL_CODES.app}`),
    channelSocial: count(`d.channel === ${CHANNEL_CODES.social}`),
    channelOther: count(`d.channel === ${CHANNEL_CODES.other}`),
    // The same arithmetic as hourAngle/weekdayAngle: (2π · value) / period.
    hourSinSum: `op.sum(sin(${2 * Math.PI} * d.hour / 24))`,
    hourCosSum: `op.sum(cos(${2 * Math.PI} * d.hour / 24))`,
    weekdaySinSum: `op.sum(sin(${2 * Math.PI} * d.weekday / 7))`,
    weekdayCosSum: `op.sum(cos(${2 * Math.PI} * d.weekday / 7))`,
  });

  const orders = history.filter(`${isType('order')}`).reify();
  const orderSums = orders.groupby('customer').rollup({
    revenueTotal: 'op.sum(op.is_nan(d.value) ? 0 : d.value)',
    itemsTotal: 'op.sum(op.is_nan(d.quantity) ? 1 : d.quantity)',
    lastOrderMs: 'op.max(d.ts)',
    orders7d: `op.sum(${inDays(0, 7)} ? 1 : 0)`,
    orders30d: `op.sum(${inDays(0, 30)} ? 1 : 0)`,
    orders90d: `op.sum(${inDays(0, 90)} ? 1 : 0)`,
    orders365d: `op.sum(${inDays(0, 365)} ? 1 : 0)`,
    ordersPrevious30d: `op.sum(${inDays(30, 60)} ? 1 : 0)`,
    revenue7d: `op.sum(${inDays(0, 7)} && !op.is_nan(d.value) ? d.value : 0)`,
    revenue30d: `op.sum(${inDays(0, 30)} && !op.is_nan(d.value) ? d.value : 0)`,
    revenue90d: `op.sum(${inDays(0, 90)} && !op.is_nan(d.value) ? d.value : 0)`,
    revenue365d: `op.sum(${inDays(0, 365)} && !op.is_nan(d.value) ? d.value : 0)`,
  });
  const orderDayGaps = orders
    .groupby('customer', 'day')
    .count()
    .groupby('customer')
    .orderby('day')
    .derive({ previousDay: 'op.lag(d.day, 1, -1)' })
    .rollup({
      orderDays: 'op.count()',
      firstOrderDay: 'op.min(d.day)',
      lastOrderDay: 'op.max(d.day)',
      orderGapSquaresSum: 'op.sum(d.previousDay < 0 ? 0 : (d.day - d.previousDay) * (d.day - d.previousDay))',
    });
  const ratings = history
    .filter(`${isType('review')} && !op.is_nan(d.rating)`)
    .groupby('customer')
    .rollup({ ratingSum: 'op.sum(d.rating)', ratingCount: 'op.count()' });
  const categories = history
    .filter('d.category >= 0')
    .groupby('customer')
    .rollup({ categoryCount: 'op.distinct(d.category)' });

  const customerCount = columns.customerIds.length;
  const rowOf = new Int32Array(customerCount).fill(-1);
  const aggregates: CustomerAggregates[] = [];
  const eligible: number[] = [];
  const activeDays: number[] = [];
  for (const { activeDays: days, ...row } of activity.objects() as Row[]) {
    rowOf[row.customer!] = aggregates.length;
    eligible.push(row.customer!);
    activeDays.push(days!);
    aggregates.push({ ...emptyAggregates(), ...withoutCustomer(row) });
  }
  const at = (customer: number) => aggregates[rowOf[customer]!]!;
  for (const table of [orderSums, orderDayGaps, ratings]) {
    for (const row of table.objects() as Row[]) Object.assign(at(row.customer!), withoutCustomer(row));
  }
  for (const row of categories.objects() as Row[]) at(row.customer!).categoryCount = Math.min(row.categoryCount!, MAX_TRACKED_CATEGORIES);

  const features = aggregates.map((a) => {
    const values = featuresFromAggregates(a, cutoff);
    return Float64Array.from(FEATURE_NAMES, (name: FeatureName) => values[name]);
  });
  return {
    customerIds: eligible.map((customer) => columns.customerIds[customer]!),
    features,
    churned: churnLabels(log, columns, label, eligible),
    activeDays: Uint32Array.from(activeDays),
    oneHourOfDay: oneHourOfDay(columns, cutoff),
  };
}

function oneHourOfDay(columns: EventColumns, cutoff: number): boolean {
  let hour = -1;
  for (let event = 0; event < columns.length; event++) {
    if (!(columns.ts[event]! < cutoff)) continue;
    if (hour < 0) hour = columns.hour[event]!;
    else if (columns.hour[event] !== hour) return false;
  }
  return true;
}

/**
 * 1 for every eligible customer with no active event in the label window; undefined when the
 * log ends before the window does. The log is taken to cover the whole UTC day of its last
 * event (logs stamped by date, like CDNOW, hold a complete last day).
 */
function churnLabels(log: ColumnTable, columns: EventColumns, label: ChurnLabelConfig, eligible: number[]): Uint8Array | undefined {
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const day of columns.day) if (day > lastDay) lastDay = day;
  if ((lastDay + 1) * DAY_MS < label.labelEndMs) return undefined;
  const activeCodes = label.activeTypes.map((type) => columns.types.indexOf(type)).filter((code) => code >= 0);
  const isActive = activeCodes.length > 0 ? activeCodes.map((code) => `d.type === ${code}`).join(' || ') : 'false';
  const active = new Uint8Array(columns.customerIds.length);
  const activeCustomers = log
    .filter(`d.ts >= ${label.labelStartMs} && d.ts < ${label.labelEndMs} && (${isActive})`)
    .groupby('customer')
    .count();
  for (const customer of activeCustomers.array('customer') as Iterable<number>) active[customer] = 1;
  return Uint8Array.from(eligible, (customer) => 1 - active[customer]!);
}

function withoutCustomer(row: Row): Partial<CustomerAggregates> {
  const { customer: _customer, ...rest } = row;
  return rest as Partial<CustomerAggregates>;
}

function emptyAggregates(): CustomerAggregates {
  return {
    firstEventMs: 0,
    lastEventMs: 0,
    eventsTotal: 0,
    events30d: 0,
    eventsPrevious30d: 0,
    ordersTotal: 0,
    revenueTotal: 0,
    itemsTotal: 0,
    orders7d: 0,
    orders30d: 0,
    orders90d: 0,
    orders365d: 0,
    ordersPrevious30d: 0,
    revenue7d: 0,
    revenue30d: 0,
    revenue90d: 0,
    revenue365d: 0,
    lastOrderMs: 0,
    orderDays: 0,
    firstOrderDay: 0,
    lastOrderDay: 0,
    orderGapSquaresSum: 0,
    sessionsTotal: 0,
    sessions30d: 0,
    pageViewsTotal: 0,
    searchesTotal: 0,
    addToCartTotal: 0,
    refundsTotal: 0,
    supportTicketsTotal: 0,
    reviewsTotal: 0,
    ratingSum: 0,
    ratingCount: 0,
    couponsTotal: 0,
    emailOpens30d: 0,
    categoryCount: 0,
    channelWeb: 0,
    channelApp: 0,
    channelSocial: 0,
    channelOther: 0,
    hourSinSum: 0,
    hourCosSum: 0,
    weekdaySinSum: 0,
    weekdayCosSum: 0,
  };
}
