/**
 * A seeded split of logged decisions into a training and a test part by customer, so that
 * no customer is in both: the test part measures the uplift model on customers it never saw.
 */
import { hashPosition } from '../train/hash-position.js';
import type { UpliftObservation } from './observation.js';

/**
 * Splits observations, about `testShare` of the customers to the test part. Deterministic:
 * a customer's side depends only on their id and the seed.
 *
 * @example
 * const { train, test } = splitByCustomer(observations, 0.3, 1);
 */
export function splitByCustomer(
  observations: readonly UpliftObservation[],
  testShare: number,
  seed: number,
): { train: UpliftObservation[]; test: UpliftObservation[] } {
  const train: UpliftObservation[] = [];
  const test: UpliftObservation[] = [];
  for (const observation of observations) (hashPosition(`${seed}\u0000${observation.customerId}`) < testShare ? test : train).push(observation);
  return { train, test };
}

