/**
 * The time budget for store work on the shopper's request: a slow store must not slow
 * the page, so past the budget the plugin stops waiting and fails open. One budget covers
 * every store call of a request (state read, past decisions, decision write), so the page
 * never waits more than the budget in total, and it costs one timer per request.
 */
import { ChurnkitError } from '../src/errors.js';

export interface StoreBudget {
  /**
   * Resolves like `work`, or rejects with a `STORE_TIMEOUT` error once the budget is spent.
   * `landedLate`, when given, hears the value of `work` should it resolve after that.
   */
  call<T>(work: Promise<T>, what: string, landedLate?: (value: T) => void): Promise<T>;
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
  let spent = false;
  return {
    call(work, what, landedLate) {
      current = what;
      expired ??= new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          spent = true;
          reject(new ChurnkitError('STORE_TIMEOUT', `store did not answer within ${budgetMs} ms while ${current}`));
        }, budgetMs);
      });
      // Nobody may be racing it when it fires after the work is done: never an unhandled rejection.
      expired.catch(() => undefined);
      // Only for the calls that ask: one more promise, and on a write, not on every read.
      if (landedLate !== undefined) {
        work.then(
          (value) => {
            if (spent) landedLate(value);
          },
          () => undefined,
        );
      }
      return Promise.race([work, expired]);
    },
    release() {
      clearTimeout(timer);
    },
  };
}
