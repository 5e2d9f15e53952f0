import type { CustomerAggregates } from './customer-aggregates.js';
import { DAY_MS } from '../events/day.js';

/**
 * The churn features, in output order. Skewed counts and amounts are given as
 * `log1p` (a linear model separates churners far better on that scale); every feature is
 * finite for every customer with at least one event (docs/events.md lists the values used
 * for "no orders yet" and the like).
 */
export const FEATURE_NAMES = [
  'recency_days',
  'log_recency_days',
  'days_since_last_event',
  'tenure_days',
  'has_ordered',
  'log_order_days',
  'log_orders_7d',
  'log_orders_30d',
  'log_orders_90d',
  'log_orders_365d',
  'log_orders_total',
  'log_revenue_7d',
  'log_revenue_30d',
  'log_revenue_90d',
  'log_revenue_365d',
  'log_revenue_total',
  'log_avg_order_value',
  'log_items_total',
  'log_order_days_per_30d',
  'gap_mean_days',
  'gap_std_days',
  'log_order_span_days',
  'log_overdue_ratio',
  'order_trend_30d',
  'activity_trend_30d',
  'log_events_total',
  'log_events_30d',
  'log_sessions_total',
  'log_sessions_30d',
  'pages_per_session',
  'cart_abandonment_rate',
  'log_searches_total',
  'log_refunds_total',
  'log_support_tickets_total',
  'log_reviews_total',
  'mean_rating',
  'log_coupons_total',
  'log_email_opens_30d',
  'category_count',
  'channel_web_share',
  'channel_app_share',
  'channel_social_share',
  'channel_other_share',
  'hour_sin',
  'hour_cos',
  'weekday_sin',
  'weekday_cos',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** log(1 + |x|) with the sign of x: defined (never NaN) for refunds that make an amount negative. */
function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

/** (recent − earlier) / (recent + earlier): −1 (stopped), 0 (steady or nothing), +1 (new). */
function trend(recent: number, earlier: number): number {
  const total = recent + earlier;
  return total > 0 ? (recent - earlier) / total : 0;
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/**
 * The features of one customer at a cut-off, from that customer's aggregates.
 *
 * @example
 * ```ts
 * const features = featuresFromAggregates(aggregatesOf(state, cutoffMs), cutoffMs);
 * features.recency_days; // days since the last order
 * ```
 */
export function featuresFromAggregates(a: CustomerAggregates, cutoffMs: number): Record<FeatureName, number> {
  const tenureDays = Math.max(0, (cutoffMs - a.firstEventMs) / DAY_MS);
  const hasOrdered = a.ordersTotal > 0;
  // Before a first order, the customer has been "not ordering" for their whole tenure.
  const recencyDays = hasOrdered ? Math.max(0, (cutoffMs - a.lastOrderMs) / DAY_MS) : tenureDays;
  const repeatGaps = a.orderDays - 1;
  const gapMean = repeatGaps > 0 ? (a.lastOrderDay - a.firstOrderDay) / repeatGaps : 0;
  const gapVariance = repeatGaps > 0 ? Math.max(0, a.orderGapSquaresSum / repeatGaps - gapMean * gapMean) : 0;
  // A one-day-or-less rhythm would make the ratio explode on the order day itself; a gap is at least a day.
  const overdueRatio = repeatGaps > 0 ? recencyDays / Math.max(gapMean, 1) : 0;
  const channelEvents = a.channelWeb + a.channelApp + a.channelSocial + a.channelOther;
  const events = Math.max(a.eventsTotal, 1);
  return {
    recency_days: recencyDays,
    log_recency_days: Math.log1p(recencyDays),
    days_since_last_event: Math.max(0, (cutoffMs - a.lastEventMs) / DAY_MS),
    tenure_days: tenureDays,
    has_ordered: hasOrdered ? 1 : 0,
    log_order_days: Math.log1p(a.orderDays),
    log_orders_7d: Math.log1p(a.orders7d),
    log_orders_30d: Math.log1p(a.orders30d),
    log_orders_90d: Math.log1p(a.orders90d),
    log_orders_365d: Math.log1p(a.orders365d),
    log_orders_total: Math.log1p(a.ordersTotal),
    log_revenue_7d: signedLog1p(a.revenue7d),
    log_revenue_30d: signedLog1p(a.revenue30d),
    log_revenue_90d: signedLog1p(a.revenue90d),
    log_revenue_365d: signedLog1p(a.revenue365d),
    log_revenue_total: signedLog1p(a.revenueTotal),
    log_avg_order_value: signedLog1p(ratio(a.revenueTotal, a.ordersTotal)),
    log_items_total: signedLog1p(a.itemsTotal),
    log_order_days_per_30d: Math.log1p((30 * a.orderDays) / Math.max(tenureDays, 1)),
    gap_mean_days: gapMean,
    gap_std_days: Math.sqrt(gapVariance),
    log_order_span_days: Math.log1p(repeatGaps > 0 ? a.lastOrderDay - a.firstOrderDay : 0),
    log_overdue_ratio: Math.log1p(overdueRatio),
    order_trend_30d: trend(a.orders30d, a.ordersPrevious30d),
    activity_trend_30d: trend(a.events30d, a.eventsPrevious30d),
    log_events_total: Math.log1p(a.eventsTotal),
    log_events_30d: Math.log1p(a.events30d),
    log_sessions_total: Math.log1p(a.sessionsTotal),
    log_sessions_30d: Math.log1p(a.sessions30d),
    pages_per_session: ratio(a.pageViewsTotal, a.sessionsTotal),
    // Carts not turned into orders; orders placed without a tracked cart do not make it negative.
    cart_abandonment_rate: a.addToCartTotal > 0 ? Math.min(1, Math.max(0, 1 - a.ordersTotal / a.addToCartTotal)) : 0,
    log_searches_total: Math.log1p(a.searchesTotal),
    log_refunds_total: Math.log1p(a.refundsTotal),
    log_support_tickets_total: Math.log1p(a.supportTicketsTotal),
    log_reviews_total: Math.log1p(a.reviewsTotal),
    mean_rating: ratio(a.ratingSum, a.ratingCount),
    log_coupons_total: Math.log1p(a.couponsTotal),
    log_email_opens_30d: Math.log1p(a.emailOpens30d),
    category_count: a.categoryCount,
    channel_web_share: ratio(a.channelWeb, channelEvents),
    channel_app_share: ratio(a.channelApp, channelEvents),
    channel_social_share: ratio(a.channelSocial, channelEvents),
    channel_other_share: ratio(a.channelOther, channelEvents),
    hour_sin: a.hourSinSum / events,
    hour_cos: a.hourCosSum / events,
    weekday_sin: a.weekdaySinSum / events,
    weekday_cos: a.weekdayCosSum / events,
  };
}
