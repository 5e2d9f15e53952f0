/**
 * Checking the admin bearer token in constant time: both sides are hashed to SHA-256
 * first, so `timingSafeEqual` always compares 32 bytes and neither the content nor the
 * length of the expected token leaks through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `expected` as a bearer token.
 * With no configured token (`expected` undefined) nothing is accepted: admin routes stay closed.
 *
 * @example
 * isAdmin('Bearer s3cret-token-of-16+chars', 's3cret-token-of-16+chars'); // true
 */
export function isAdmin(authorization: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || authorization === undefined) return false;
  const match = /^Bearer (.+)$/.exec(authorization);
  if (match === null) return false;
  return timingSafeEqual(digest(match[1]!), digest(expected));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
