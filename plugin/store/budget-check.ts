/**
 * The daily-budget rule every store applies inside its atomic write, and the money
 * arithmetic behind it.
 */

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
