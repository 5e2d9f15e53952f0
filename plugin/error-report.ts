/**
 * What a caller is told when something fails, and what the operator is told.
 *
 * Answers (HTTP bodies, the `reason` of an unavailable assessment) reach whoever can call the
 * routes, so they carry a fixed sentence saying what failed and, for churnkit's own errors,
 * their message: those are written to name the problem (a field, a bound, a timeout) and cut
 * long values. A foreign error's message or stack never reaches an answer: a store driver's
 * error can quote SQL, keys or another customer's data, a hook's error whatever the storefront
 * put in it, a file system error a server path. The error itself goes to the operator's
 * `onError` option, with the code the caller saw.
 */
import { ChurnkitError } from '../src/errors.js';

/** Where the operator hears of a failure; `code` is what the caller was answered (`STORE_ERROR`, `HOOK_ERROR`, `INTERNAL`, ...). */
export type ErrorHook = (error: unknown, details: ErrorDetails) => void;

export interface ErrorDetails {
  code: string;
  /** The customer the failed work was for, when there was one. */
  customerId: string | null;
}

/**
 * `summary`, followed by `cause`'s message when it is one of churnkit's own errors.
 *
 * @example
 * publicMessage('events were not stored', new Error('SQLITE_FULL: INSERT INTO events VALUES ("c-9", ...)'));
 * // 'events were not stored'
 */
export function publicMessage(summary: string, cause: unknown): string {
  return cause instanceof ChurnkitError ? `${summary}: ${cause.message}` : summary;
}

/**
 * Hands `error` to the operator's hook. A hook that throws is ignored: reporting a failure
 * must not become a second one on the request path.
 *
 * @example
 * reportError(options.onError, error, { code: 'STORE_ERROR', customerId: 'c-42' });
 */
export function reportError(onError: ErrorHook | undefined, error: unknown, details: ErrorDetails): void {
  if (onError === undefined) return;
  try {
    onError(error, details);
  } catch {
    // Nothing sensible to do: the hook is the place errors are reported to.
  }
}
