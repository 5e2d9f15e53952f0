/**
 * The answer to a request under the API's mount point that no route serves, the same from
 * every adapter: 404 `NOT_FOUND` for an unknown path, 405 `METHOD_NOT_ALLOWED` with an
 * `Allow` header for a known path asked with another method. Both in the routes' JSON error
 * shape, never a framework's HTML page.
 */
import { excerpt } from '../../src/errors.js';
import { errorAnswer, type JsonAnswer } from '../validation/http-error.js';

/** A method and path an adapter serves (the shared routes plus its own, e.g. Express's `/metrics`). */
export interface ServedRoute {
  method: string;
  path: string;
}

/**
 * The 404 or 405 for `method` on `path` (relative to the mount point, as `routes` give theirs).
 *
 * @example
 * unmatchedAnswer([{ method: 'POST', path: '/score' }], 'GET', '/score');
 * // { status: 405, headers: { allow: 'POST' }, body: { error: { code: 'METHOD_NOT_ALLOWED', ... } } }
 */
export function unmatchedAnswer(routes: readonly ServedRoute[], method: string, path: string, shownPath = path): JsonAnswer {
  const allowed = routes.filter((route) => route.path === path).map((route) => route.method);
  const where = excerpt(shownPath);
  if (allowed.length === 0) return errorAnswer(404, 'NOT_FOUND', `no churnkit route at ${where}`);
  const allow = allowed.join(', ');
  return { ...errorAnswer(405, 'METHOD_NOT_ALLOWED', `${where} answers ${allow}, not ${excerpt(method)}`), headers: { allow } };
}
