/**
 * The daily-budget rule every store applies inside its atomic write, and the money
 * arithmetic behind it.
 */
import { ChurnkitError } from '../../src/errors.js';

/** Spend is summed in floating point (0.1 + 0.2 > 0.3): a cost that fills the budget exactly still fits. */
export const BUDGET_EPSILON = 1e-9;

/**
 * Money is kept to a millionth of the currency unit, finer than any currency's smallest
 * coin: every stored sum is rounded to it, so costs given in cents add up exactly
 * (4,000 emails at 0.10 spend 400, not 400.00000000000045) and a day's spend does not
 * drift however many decisions it sums.
 */
const MONEY_STEPS_PER_UNIT = 1e6;

/**
 * An amount rounded to the store's money resolution (see above).
 *
 * @example
 * roundMoney(0.1 + 0.2); // 0.3
 */
export function roundMoney(amount: number): number {
  return Math.round(amount * MONEY_STEPS_PER_UNIT) / MONEY_STEPS_PER_UNIT;
}

/** True when spending `cost` on top of `spent` keeps the day within `dailyBudget`; free decisions always fit. */
export function fitsBudget(spent: number, cost: number, dailyBudget: number): boolean {
  return cost <= 0 || spent + cost <= dailyBudget + BUDGET_EPSILON;
}

/**
 * `STORE_DECISION_COST` for a decision whose cost is not a finite amount of at least 0, null for
 * one the budget can count. The plugin's options allow no other costs, but a store is called
 * directly too: a negative cost lowered the day's spend on SQLite and Redis (and not on the
 * key-value stores), and NaN was refused, recorded as free or failed with Redis's own words,
 * depending on the store.
 *
 * @example
 * const refused = decisionCostRefusal(decision.cost);
 * if (refused !== null) throw refused;
 */
export function decisionCostRefusal(cost: number): ChurnkitError | null {
  if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) return null;
  return new ChurnkitError('STORE_DECISION_COST', `a decision's cost must be a finite amount of at least 0, got ${String(cost)}; nothing was recorded`);
}
