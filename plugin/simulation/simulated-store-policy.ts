/**
 * The retention policy of the simulated store: the three actions the simulator's customers
 * respond to (src/generate/response-types.ts), what each costs, and the success rates an
 * operator would guess for today's risk-based expected value. The same actions and values
 * for every policy compared, so only the way actions are valued differs.
 */
import type { ChurnOptions } from '../express/options.js';

/** A customer's value to the store: what they spent over the last year. */
export function yearlyRevenue(features: Readonly<Record<string, unknown>>): number {
  const logRevenue = features.log_revenue_365d;
  return typeof logRevenue === 'number' && Number.isFinite(logRevenue) ? Math.expm1(logRevenue) : 0;
}

/**
 * The actions: a 10-unit coupon (not after a refund: it reads as a bribe), free shipping on
 * the next order (about 5) and a call from customer care (about 4 of staff time). The
 * success rates are guesses of the share of would-be churners each keeps, as an operator
 * sets them today.
 */
export const SIMULATED_ACTIONS = [
  { name: 'coupon', cost: 10, successRate: 0.3, eligibility: [{ feature: 'log_refunds_total', atMost: 0 }] },
  { name: 'free_shipping', cost: 5, successRate: 0.15 },
  { name: 'care_call', cost: 4, successRate: 0.12 },
] satisfies NonNullable<ChurnOptions['policy']>['actions'];

/** Defaults of a simulated campaign's policy. */
export const SIMULATED_POLICY_DEFAULTS = {
  dailyBudget: 400,
  holdoutFraction: 0.2,
} as const;
