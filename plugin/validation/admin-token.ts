/**
 * Checking the admin bearer token in constant time: both sides are hashed to SHA-256 first
 * (Web Crypto, so it runs in every runtime), so the comparison always covers 32 bytes and
 * neither the content nor the length of the expected token leaks through response timing.
 */
import { sha256Hex } from '../../src/model/sha256.js';

/**
 * `"Bearer" 1*SP token` (RFC 6750, 2.1), the scheme in any case (RFC 9110, 11.1: `bearer` is
 * what some clients send).
 */
const BEARER = /^Bearer +(.+)$/i;

/**
 * Whether an `Authorization` header carries `expected` as a bearer token.
 * With no configured token (`expected` undefined) nothing is accepted: admin routes stay closed.
 *
 * @example
 * await isAdmin('Bearer s3cret-token-of-16+chars', 's3cret-token-of-16+chars'); // true
 */
export async function isAdmin(authorization: string | null | undefined, expected: string | undefined): Promise<boolean> {
  if (expected === undefined || authorization == null) return false;
  const match = BEARER.exec(authorization);
  if (match === null) return false;
  const [given, wanted] = await Promise.all([sha256Hex(match[1]!), sha256Hex(expected)]);
  return sameText(given, wanted);
}

/** Equal-length texts compared without an early exit. */
function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i % b.length);
  return difference === 0;
}
