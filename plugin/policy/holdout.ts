/**
 * The sticky hold-out: a fixed fraction of customers never receives an action, so the
 * retention lift of each action can be measured against them. Membership is a hash of
 * the customer id (FNV-1a, 32 bits, then murmur3's finaliser) with a salt, so the same
 * customer lands in the same group on every request, every process and every storefront
 * instance, with nothing stored.
 */
import { hashPosition } from '../../src/train/hash-position.js';
import type { Group } from '../store/types.js';

/**
 * Position of a customer in [0, 1), uniform over customer ids.
 * The salt lets two experiments split the same customers independently.
 */
export function holdoutPosition(customerId: string, salt: string): number {
  return hashPosition(`${salt}\u0000${customerId}`);
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
