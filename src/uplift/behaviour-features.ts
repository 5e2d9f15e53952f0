/**
 * The behaviour an action's effect hinges on, spelled out for uplift models. Retention
 * marketers judge who an offer sways by a few facts the event log records: has the customer
 * ever used a discount, and on what share of their orders; how cheap are the things they buy
 * (free shipping matters on small baskets); have they complained (a call from customer care
 * answers a grievance). churnkit's event features carry these only on a log scale and spread
 * over several columns (`log_coupons_total`, `log_orders_total`, `log_refunds_total`, ...),
 * where a linear uplift model cannot form a share or an "ever" from them.
 *
 * `withBehaviourFeatures` adds them to a feature record, computed from the record alone. It
 * is applied in one place on each side: to every logged decision an uplift model is trained
 * on (`trainUplift`) and to every record an uplift model scores (`UpliftModel.uplift`), so
 * the model sees at decision time exactly the columns it learned from. A record without the
 * event features (custom features) gets none of them; a model trained without them ignores
 * them. Runtime-neutral, no dependencies.
 */
import type { RawRecord } from '../model/feature-spec.js';

/** The added columns, in the order they are added. */
export const BEHAVIOUR_FEATURES = [
  'redeemed_a_coupon',
  'coupon_order_share',
  'log_item_price',
  'complaints',
  'has_complained',
  'gave_low_rating',
] as const;
export type BehaviourFeature = (typeof BEHAVIOUR_FEATURES)[number];

/** A mean rating at or below this, from at least one review, counts as a low rating (ratings run 1–5). */
const LOW_RATING = 2.5;

/**
 * The record with the behaviour columns added (a new object; `record` is not changed).
 * Each column is added only when every event feature it is computed from is a finite
 * number; a record already holding one of the names keeps its own value.
 *
 * @example
 * withBehaviourFeatures({ log_orders_total: Math.log1p(4), log_coupons_total: Math.log1p(1), ... }).coupon_order_share; // 0.25
 */
export function withBehaviourFeatures(record: Readonly<RawRecord>): RawRecord {
  const count = (name: string): number | undefined => {
    const value = record[name];
    // The event features hold counts as log1p(count): rounding undoes the float error of expm1.
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(Math.expm1(value)) : undefined;
  };
  const amount = (name: string): number | undefined => {
    const value = record[name];
    return typeof value === 'number' && Number.isFinite(value) ? Math.sign(value) * Math.expm1(Math.abs(value)) : undefined;
  };
  const added: Partial<Record<BehaviourFeature, number>> = {};
  const orders = count('log_orders_total');
  const coupons = count('log_coupons_total');
  if (coupons !== undefined) added.redeemed_a_coupon = coupons > 0 ? 1 : 0;
  if (coupons !== undefined && orders !== undefined) added.coupon_order_share = orders > 0 ? Math.min(1, coupons / orders) : 0;
  const revenue = amount('log_revenue_total');
  const items = amount('log_items_total');
  if (revenue !== undefined && items !== undefined) added.log_item_price = items >= 1 ? Math.log1p(Math.max(0, revenue / items)) : 0;
  const refunds = count('log_refunds_total');
  const tickets = count('log_support_tickets_total');
  if (refunds !== undefined && tickets !== undefined) {
    added.complaints = refunds + tickets;
    added.has_complained = refunds + tickets > 0 ? 1 : 0;
  }
  const reviews = count('log_reviews_total');
  const rating = record.mean_rating;
  if (reviews !== undefined && typeof rating === 'number' && Number.isFinite(rating)) added.gave_low_rating = reviews > 0 && rating <= LOW_RATING ? 1 : 0;
  return { ...added, ...record };
}
