/**
 * The arithmetic of an intervention: what acting on a customer is worth on average.
 * Pure functions, no I/O, so the numbers in a logged decision can be recomputed by hand.
 */

/** One action the policy may take, as the options describe it (already validated). */
export interface ActionSpec {
  name: string;
  /** What issuing the action costs: the coupon's value, the contact's cost. */
  cost: number;
  /** Assumed probability that the action keeps a customer who would otherwise churn. */
  successRate: number;
  /** No repeat of this action to the same customer within this many milliseconds. */
  cooldownMs: number;
  /** At most this many of this action per customer within the policy's cap window. */
  maxPerCustomer: number;
  eligibility: EligibilityRule[];
}

/**
 * A declarative eligibility rule on the customer's current features: the action is
 * allowed only when `atLeast <= features[feature] <= atMost` (either bound optional).
 * A feature the customer does not have reads as "rule not met", never as a pass.
 */
export interface EligibilityRule {
  feature: string;
  atLeast?: number;
  atMost?: number;
}

/**
 * Expected value of an action: the customer value it saves on average minus what it costs,
 * `P(churn) x customer value x success rate - cost`. "Do nothing" is worth 0 by definition.
 *
 * @example
 * expectedValue(0.5, 40, 0.3, 2); // 0.5 * 40 * 0.3 - 2 = 4
 */
export function expectedValue(churnProbability: number, customerValue: number, successRate: number, cost: number): number {
  const value = churnProbability * customerValue * successRate - cost;
  return Number.isFinite(value) ? value : -cost;
}
