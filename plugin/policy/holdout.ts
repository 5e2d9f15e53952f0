/**
 * The sticky hold-out: a fixed fraction of customers never receives an action, so the
 * retention lift of each action can be measured against them. Membership is a hash of
 * the customer id (FNV-1a, 32 bits, then murmur3's finaliser) with a salt, so the same
 * customer lands in the same group on every request, every process and every storefront
 * instance, with nothing stored.
 */
import type { Group } from '../store/types.js';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_THE_32 = 4294967296;

/**
 * Position of a customer in [0, 1), uniform over customer ids.
 * The salt lets two experiments split the same customers independently.
 */
export function holdoutPosition(customerId: string, salt: string): number {
  let hash = FNV_OFFSET_BASIS;
  const key = `${salt}\u0000${customerId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  // FNV-1a alone barely moves the top bits when only the last character changes, so
  // sequential ids (c1, c2, ...) would cluster in one group; the finaliser spreads them.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / TWO_TO_THE_32;
}

/**
 * The customer's group: `holdout` for the first `fraction` of hash positions.
 *
 * @example
 * assignGroup('customer-42', 0.1, 'churnkit'); // same answer on every call
 */
export function assignGroup(customerId: string, fraction: number, salt: string): Group {
  return holdoutPosition(customerId, salt) < fraction ? 'holdout' : 'treatment';
}
