/**
 * The daily-budget rule every store applies inside its atomic write.
 */

/** Spend is summed in floating point (0.1 + 0.2 > 0.3): a cost that fills the budget exactly still fits. */
export const BUDGET_EPSILON = 1e-9;

/** True when spending `cost` on top of `spent` keeps the day within `dailyBudget`; free decisions always fit. */
export function fitsBudget(spent: number, cost: number, dailyBudget: number): boolean {
  return cost <= 0 || spent + cost <= dailyBudget + BUDGET_EPSILON;
}
