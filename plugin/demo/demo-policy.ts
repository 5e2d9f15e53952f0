/**
 * The demo store's intervention policy: three actions of very different cost, a daily
 * budget and a visible hold-out, so the dashboard has every column to show.
 */
import type { ChurnOptions } from '../express/options.js';

/** A customer's value to the store: what they spent over the last year. */
function yearlyRevenue(features: Readonly<Record<string, unknown>>): number {
  const logRevenue = features.log_revenue_365d;
  return typeof logRevenue === 'number' && Number.isFinite(logRevenue) ? Math.expm1(logRevenue) : 0;
}

/** The policy part of the demo's `churn()` options. */
export const DEMO_POLICY = {
  policy: {
    actions: [
      // No coupon to someone who just asked for a refund: it reads as a bribe.
      { name: 'coupon', cost: 10, successRate: 0.3, eligibility: [{ feature: 'log_refunds_total', atMost: 0 }] },
      { name: 'care_call', cost: 4, successRate: 0.12 },
      { name: 'email', cost: 0.1, successRate: 0.02, cooldownMs: 3 * 86_400_000 },
    ],
    // Decisions keep the features they were made on: the dashboard's model report is drawn from them.
    logFeatures: true,
  },
  customerValue: yearlyRevenue,
  holdoutFraction: 0.2,
  dailyBudget: 400,
} satisfies Partial<ChurnOptions>;
