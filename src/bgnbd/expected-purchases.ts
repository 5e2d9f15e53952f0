/** How many purchases BG/NBD expects from a customer in the next `horizon` weeks. */
import { OptionsError } from '../errors.js';
import { scaledHypergeometric2F1 } from './hypergeometric-2f1.js';
import { assertHistory, type PurchaseHistory } from './log-likelihood.js';
import { dropoutOdds } from './p-alive.js';
import { assertParameters, type BgNbdParameters } from './parameters.js';

// a = 1 is a removable singularity of the closed form ((a-1) divides a term that
// also vanishes); evaluating just beside it keeps the formula finite and exact
// to about this many digits.
const SINGULARITY_OFFSET = 1e-7;

/**
 * E[Y(horizon) | x, t_x, T]: expected purchases (repeat purchase days) in the
 * `horizon` weeks after T (Fader, Hardie & Lee 2005, eq. 10). Uses the Gauss
 * hypergeometric function 2F1; always finite and >= 0. Invalid parameters or
 * horizon throw `OptionsError`, an impossible history `InputError`.
 *
 * @example
 * expectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { x: 2, tx: 30.43, T: 38.86 }, 39); // ≈ 1.226
 */
export function expectedPurchases(parameters: BgNbdParameters, history: PurchaseHistory, horizon: number): number {
  if (!(Number.isFinite(horizon) && horizon >= 0)) {
    throw new OptionsError('BGNBD_HORIZON', `horizon must be a finite number of weeks >= 0, got ${String(horizon)}`);
  }
  assertParameters(parameters);
  assertHistory(history);
  if (horizon === 0) return 0;
  const { r, alpha, b } = parameters;
  const a = Math.abs(parameters.a - 1) < SINGULARITY_OFFSET ? 1 + SINGULARITY_OFFSET : parameters.a;
  const { x, T } = history;
  // The factor (a+b+x-1) and 2F1's c are the same number: moved off a pole together, their
  // product keeps its finite limit (moving only c made it 0 for x = 0 and a + b within 1e-7 of 1).
  const c = awayFromPoles(a + b + x - 1);
  const z = horizon / (alpha + T + horizon);
  // ((alpha+T)/(alpha+T+horizon))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z), formed in logs.
  const discountedSeries = scaledHypergeometric2F1(r + x, b + x, c, z, (r + x) * Math.log1p(-z));
  const expected = ((c / (a - 1)) * (1 - discountedSeries)) / (1 + dropoutOdds({ ...parameters, a }, history));
  return Number.isFinite(expected) && expected > 0 ? expected : 0;
}

/** 2F1 has poles at c = 0, -1, -2, ...; only x = 0 with a + b <= 1 can land there. */
function awayFromPoles(c: number): number {
  return c <= 0 && Math.abs(c - Math.round(c)) < SINGULARITY_OFFSET ? c + SINGULARITY_OFFSET : c;
}
