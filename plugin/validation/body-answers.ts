/**
 * The answers to a body no route should see, the same from every adapter: too large,
 * not JSON, or carrying a prototype-poisoning key (or nested too deep).
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
