/**
 * What a caller is told when something fails, and what the operator is told.
 *
 * Answers (HTTP bodies, the `reason` of an unavailable assessment) reach whoever can call the
 * routes, so they carry a fixed sentence saying what failed and, for churnkit's own errors,
 * their message: those are written to name the problem (a field, a bound, a timeout) and cut
 * long values. A foreign error's message or stack never reaches an answer: a store driver's
 * error can quote SQL, keys or another customer's data, a hook's error whatever the storefront
 * put in it, a file system error a server path. A file one of churnkit's errors is about (the
 * model file, the SQLite file) is named without its folders. The error itself goes to the
 * operator's `onError` option, with the code the caller saw.
 */
import { ChurnkitError, InputError } from '../src/errors.js';

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
 * publicMessage('no model is serving', new ModelFormatError('MODEL_UNREADABLE', 'model file not found', { file: '/srv/shop/models/churn.json' }));
 * // 'no model is serving: churn.json: model file not found'
 */
export function publicMessage(summary: string, cause: unknown): string {
  return cause instanceof ChurnkitError ? `${summary}: ${withFileNameOnly(cause)}` : summary;
}

/**
 * The error's message with the server file it is about cut to the file's name: a caller of
 * `/healthz` learns that `storefront.json` is truncated, not where the server keeps it.
 */
function withFileNameOnly(error: ChurnkitError): string {
  const file = error instanceof InputError ? error.location.file : (error as { file?: unknown }).file;
  if (typeof file !== 'string' || file === '') return error.message;
  return error.message.replaceAll(file, file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1));
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
