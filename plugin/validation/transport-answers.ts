/**
 * The answers an adapter gives around a route, the same from every adapter: a body no
 * route should see (too large, not JSON, carrying a prototype-poisoning key or nested too
 * deep), and a route that threw.
 */
import { errorAnswer, type JsonAnswer } from './http-error.js';
import { findUnsafeKey } from './unsafe-keys.js';

export const bodyTooLarge = (): JsonAnswer => errorAnswer(413, 'BODY_TOO_LARGE', 'request body exceeds the size limit');

export const invalidJson = (): JsonAnswer => errorAnswer(400, 'INVALID_JSON', 'request body is not valid JSON');

/**
 * The 400 answer for a parsed body with an unsafe key, or null when it is safe.
 *
 * @example
 * unsafeBodyAnswer(JSON.parse('{"__proto__":{}}'))?.status; // 400
 */
export function unsafeBodyAnswer(body: unknown): JsonAnswer | null {
  const unsafe = findUnsafeKey(body);
  return unsafe === null ? null : errorAnswer(400, 'UNSAFE_KEY', `field "${unsafe.field}": ${unsafe.message}`, unsafe.field);
}

/** A route threw something that is not an answer: a 500 that reveals no internals. */
export const internalError = (): JsonAnswer => errorAnswer(500, 'INTERNAL', 'internal error in the churnkit router');
