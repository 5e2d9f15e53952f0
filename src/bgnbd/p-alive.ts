/** The probability that a customer is still active ("alive") given their purchase history. */
import { assertHistory, type PurchaseHistory } from './log-likelihood.js';
import { assertParameters, type BgNbdParameters } from './parameters.js';

/**
 * P(alive | x, t_x, T) under BG/NBD (Fader, Hardie & Lee 2005, eq. 11). A
 * customer with no repeat purchase is alive with certainty in this model
 * (dropout can only follow a purchase). Returns a number in [0, 1]; invalid
 * parameters throw `OptionsError`, an impossible history `InputError`.
 *
 * @example
 * pAlive({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { x: 2, tx: 30.43, T: 38.86 }); // ≈ 0.727
 */
export function pAlive(parameters: BgNbdParameters, history: PurchaseHistory): number {
  assertParameters(parameters);
  assertHistory(history);
  return 1 / (1 + dropoutOdds(parameters, history));
}

/**
 * The odds that the customer dropped out right after their last purchase:
 * a/(b+x-1) · ((alpha+T)/(alpha+t_x))^(r+x), computed in logs so long
 * silences do not overflow.
 */
export function dropoutOdds(parameters: BgNbdParameters, history: PurchaseHistory): number {
  const { r, alpha, a, b } = parameters;
  const { x, tx, T } = history;
  if (x === 0) return 0;
  return Math.exp(Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)));
}
