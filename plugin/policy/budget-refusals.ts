/**
 * What this process already knows the store's budget check will refuse today, so a
 * candidate that cannot fit is skipped without building and sending its decision.
 * Exact, not a guess: a day's spend only grows, so once the store refused a cost on a
 * day, it refuses any cost at least as large for the rest of that day, on every
 * instance. The store's atomic check stays the authority for everything else.
 */

export interface BudgetRefusals {
  /** True when the store already refused a cost <= `cost` on `day` under `dailyBudget`. */
  refuses(day: string, cost: number, dailyBudget: number): boolean;
  /** Records that the store refused `cost` on `day` under `dailyBudget`. */
  remember(day: string, cost: number, dailyBudget: number): void;
}

/**
 * An empty record of refusals (one per plugin).
 *
 * @example
 * const refusals = createBudgetRefusals();
 * refusals.remember('2026-11-23', 10, 400);
 * refusals.refuses('2026-11-23', 12, 400); // true: 12 cannot fit where 10 did not
 * refusals.refuses('2026-11-23', 4, 400); // false: ask the store
 */
export function createBudgetRefusals(): BudgetRefusals {
  let day = '';
  let dailyBudget = NaN;
  let smallestRefused = Infinity;
  return {
    refuses(onDay, cost, budget) {
      // Free decisions always fit (fitsBudget).
      return cost > 0 && onDay === day && budget === dailyBudget && cost >= smallestRefused;
    },
    remember(onDay, cost, budget) {
      if (!(cost > 0)) return;
      if (onDay !== day || budget !== dailyBudget) {
        day = onDay;
        dailyBudget = budget;
        smallestRefused = Infinity;
      }
      smallestRefused = Math.min(smallestRefused, cost);
    },
  };
}
