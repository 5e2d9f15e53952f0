/**
 * The time budget for store calls on the shopper's request: a slow store must not slow
 * the page, so past the budget the plugin stops waiting and fails open.
 */
import { ChurnkitError } from '../src/errors.js';

/**
 * Resolves like `work`, or rejects with a `STORE_TIMEOUT` error after `budgetMs`.
 * The timer is cleared as soon as `work` settles, so nothing lingers per request.
 *
 * @example
 * const state = await withinBudget(store.getCustomerState(id), 5, 'reading customer state');
 */
export function withinBudget<T>(work: Promise<T>, budgetMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ChurnkitError('STORE_TIMEOUT', `store did not answer within ${budgetMs} ms while ${what}`));
    }, budgetMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
