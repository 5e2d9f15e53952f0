/**
 * How each event feature reads to a shop owner: `log_refunds_total = 0.693…` is "1 refund so
 * far", `log_events_30d = 0` is "no activity in the last 30 days". Plain data (no functions),
 * so the same description travels inside a model file (`metadata.options.display`, filled in
 * by `train`) and can describe the features of any store; this table covers the features
 * `churnkit features` and the plugin compute (FEATURE_NAMES), and `describeFeature`
 * (src/explain/describe-feature.ts) reads it, under a model's own words.
 */
import type { FeatureName } from './feature-definitions.js';

/** How one feature's stored value becomes a phrase (docs/model-format.md, "Display words"). */
export interface FeatureDisplay {
  /** What the feature is, for a person ("refunds so far"): says so when the value is unknown. */
  label: string;
  /** Written after the number when there is no `text`: `{label}: {n} {unit}` ("Tenure: 12 months"). */
  unit?: string;
  /**
   * How the stored value relates to the quantity a person counts: `log1p` for log(1 + x)
   * (the inverse sign-preserving for negative amounts), `percent` for a share in [0, 1];
   * default `linear`.
   */
  scale?: 'linear' | 'log1p' | 'percent';
  /** Decimals of the displayed quantity. Default 0. */
  decimals?: number;
  /** Phrases for small displayed quantities, tried in order: the first with `quantity <= atMost` is used. */
  cases?: readonly { atMost: number; text: string }[];
  /** The phrase otherwise; `{n}` stands for the displayed quantity (or a category). Default `{label}: {n} {unit}`. */
  text?: string;
}

/** "no X", "1 X", "{n} Xs": the usual cases of a count. */
function count(label: string, none: string, one: string, many: string): FeatureDisplay {
  return { label, scale: 'log1p', cases: [{ atMost: 0, text: none }, { atMost: 1, text: one }], text: many };
}

function money(label: string, none: string, some: string): FeatureDisplay {
  return { label, scale: 'log1p', decimals: 2, cases: [{ atMost: 0, text: none }], text: some };
}

function trend(what: string): FeatureDisplay {
  return {
    label: `trend of ${what} over 30 days`,
    decimals: 2,
    cases: [
      { atMost: -0.99, text: `no ${what} in the last 30 days, after some the 30 before` },
      { atMost: -0.2, text: `less ${what} in the last 30 days than the 30 before` },
      { atMost: 0.2, text: `${what} steady over the last 60 days` },
      { atMost: 0.99, text: `more ${what} in the last 30 days than the 30 before` },
    ],
    text: `new ${what} in the last 30 days, none the 30 before`,
  };
}

function share(channel: string): FeatureDisplay {
  return { label: `share of activity ${channel}`, scale: 'percent', cases: [{ atMost: 0, text: `no activity ${channel}` }], text: `{n} % of activity ${channel}` };
}

/** The shop owner's words for every event feature. */
export const EVENT_FEATURE_DISPLAY: Readonly<Record<FeatureName, FeatureDisplay>> = {
  // Before a first order, recency counts from the first activity: the words must hold either way.
  recency_days: { label: 'days without an order', cases: [{ atMost: 0, text: 'under a day without an order' }, { atMost: 1, text: '1 day without an order' }], text: '{n} days without an order' },
  log_recency_days: {
    label: 'days without an order',
    scale: 'log1p',
    cases: [{ atMost: 0, text: 'under a day without an order' }, { atMost: 1, text: '1 day without an order' }],
    text: '{n} days without an order',
  },
  days_since_last_event: { label: 'days since the last activity', cases: [{ atMost: 0, text: 'seen today' }, { atMost: 1, text: 'last seen 1 day ago' }], text: 'last seen {n} days ago' },
  tenure_days: { label: 'days as a customer', cases: [{ atMost: 0, text: 'new customer today' }, { atMost: 1, text: 'customer for 1 day' }], text: 'customer for {n} days' },
  has_ordered: { label: 'has ordered', cases: [{ atMost: 0, text: 'has never ordered' }], text: 'has ordered' },
  log_order_days: count('days with an order', 'no order yet', 'ordered on 1 day', 'ordered on {n} different days'),
  log_orders_7d: count('orders in the last 7 days', 'no order in the last 7 days', '1 order in the last 7 days', '{n} orders in the last 7 days'),
  log_orders_30d: count('orders in the last 30 days', 'no order in the last 30 days', '1 order in the last 30 days', '{n} orders in the last 30 days'),
  log_orders_90d: count('orders in the last 90 days', 'no order in the last 90 days', '1 order in the last 90 days', '{n} orders in the last 90 days'),
  log_orders_365d: count('orders in the last 365 days', 'no order in the last 365 days', '1 order in the last 365 days', '{n} orders in the last 365 days'),
  log_orders_total: count('orders so far', 'no order yet', '1 order so far', '{n} orders so far'),
  log_revenue_7d: money('spend in the last 7 days', 'nothing spent in the last 7 days', 'spent {n} in the last 7 days'),
  log_revenue_30d: money('spend in the last 30 days', 'nothing spent in the last 30 days', 'spent {n} in the last 30 days'),
  log_revenue_90d: money('spend in the last 90 days', 'nothing spent in the last 90 days', 'spent {n} in the last 90 days'),
  log_revenue_365d: money('spend in the last 365 days', 'nothing spent in the last 365 days', 'spent {n} in the last 365 days'),
  log_revenue_total: money('spend so far', 'nothing spent yet', 'spent {n} so far'),
  log_avg_order_value: money('average order value', 'no order yet', 'average order {n}'),
  log_items_total: count('items bought so far', 'no item bought yet', '1 item bought so far', '{n} items bought so far'),
  log_order_days_per_30d: { label: 'days with an order per month', scale: 'log1p', decimals: 1, cases: [{ atMost: 0, text: 'no order yet' }], text: 'orders on {n} days a month' },
  gap_mean_days: { label: 'days between orders', cases: [{ atMost: 0, text: 'no repeat order yet' }], text: 'orders every {n} days on average' },
  gap_std_days: { label: 'variation of the days between orders', cases: [{ atMost: 0, text: 'steady order rhythm' }], text: 'order gaps vary by {n} days' },
  log_order_span_days: { label: 'days from first to last order', scale: 'log1p', cases: [{ atMost: 0, text: 'all orders on one day' }], text: '{n} days from first to last order' },
  log_overdue_ratio: {
    label: 'gap since the last order against the usual one',
    scale: 'log1p',
    decimals: 1,
    cases: [{ atMost: 0, text: 'no order rhythm yet' }],
    text: 'gap since the last order {n}× the usual one',
  },
  order_trend_30d: trend('orders'),
  activity_trend_30d: trend('activity'),
  log_events_total: count('interactions so far', 'no activity yet', '1 interaction so far', '{n} interactions so far'),
  log_events_30d: count('interactions in the last 30 days', 'no activity in the last 30 days', '1 interaction in the last 30 days', '{n} interactions in the last 30 days'),
  log_sessions_total: count('visits so far', 'no visit yet', '1 visit so far', '{n} visits so far'),
  log_sessions_30d: count('visits in the last 30 days', 'no visit in the last 30 days', '1 visit in the last 30 days', '{n} visits in the last 30 days'),
  // 0 also when pages were viewed but no visit (session_start) was recorded.
  pages_per_session: { label: 'pages per visit', decimals: 1, cases: [{ atMost: 0, text: 'no page viewed in a recorded visit' }], text: '{n} pages per visit' },
  cart_abandonment_rate: { label: 'share of carts abandoned', scale: 'percent', cases: [{ atMost: 0, text: 'no abandoned cart' }], text: '{n} % of carts abandoned' },
  log_searches_total: count('searches so far', 'no search yet', '1 search so far', '{n} searches so far'),
  log_refunds_total: count('refunds so far', 'no refund so far', '1 refund so far', '{n} refunds so far'),
  log_support_tickets_total: count('support tickets so far', 'no support ticket so far', '1 support ticket so far', '{n} support tickets so far'),
  log_reviews_total: count('reviews so far', 'no review yet', '1 review so far', '{n} reviews so far'),
  mean_rating: { label: 'average rating', decimals: 1, cases: [{ atMost: 0, text: 'no rating yet' }], text: 'rates {n} out of 5 on average' },
  log_coupons_total: count('coupons used so far', 'no coupon used yet', '1 coupon used so far', '{n} coupons used so far'),
  log_email_opens_30d: count('emails opened in the last 30 days', 'no email opened in the last 30 days', '1 email opened in the last 30 days', '{n} emails opened in the last 30 days'),
  category_count: { label: 'categories shopped in', cases: [{ atMost: 0, text: 'no category browsed' }, { atMost: 1, text: 'shops in 1 category' }], text: 'shops in {n} categories' },
  channel_web_share: share('on the website'),
  channel_app_share: share('in the app'),
  channel_social_share: share('from social media'),
  channel_other_share: share('from other channels'),
  hour_sin: { label: 'usual time of day', text: 'the time of day they usually come' },
  hour_cos: { label: 'usual time of day', text: 'the time of day they usually come' },
  weekday_sin: { label: 'usual day of the week', text: 'the day of the week they usually come' },
  weekday_cos: { label: 'usual day of the week', text: 'the day of the week they usually come' },
};
