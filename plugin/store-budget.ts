/**
 * The time budget for store work on the shopper's request: a slow store must not slow
 * the page, so past the budget the plugin stops waiting and fails open. One budget covers
 * every store call of a request (state read, past decisions, decision write), so the page
 * never waits more than the budget in total, and it costs one timer per request.
 */
import { ChurnkitError } from '../src/errors.js';

export interface StoreBudget {
  /** Resolves like `work`, or rejects with a `STORE_TIMEOUT` error once the budget is spent. */
  call<T>(work: Promise<T>, what: string): Promise<T>;
  /** Stops the clock; call when the request's store work is over. */
  release(): void;
}

/**
 * A budget of `budgetMs` that starts with the first store call.
 *
 * @example
 * const budget = storeBudget(5);
 * try {
 *   const state = await budget.call(store.getCustomerState(id), 'reading customer state');
 * } finally {
 *   budget.release();
 * }
 */
export function storeBudget(budgetMs: number): StoreBudget {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expired: Promise<never> | undefined;
  let current = '';
  return {
    call(work, what) {
      current = what;
      expired ??= new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new ChurnkitError('STORE_TIMEOUT', `store did not answer within ${budgetMs} ms while ${current}`));
        }, budgetMs);
      });
      // Nobody may be racing it when it fires after the work is done: never an unhandled rejection.
      expired.catch(() => undefined);
      return Promise.race([work, expired]);
    },
    release() {
      clearTimeout(timer);
    },
  };
}
