/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, as the
 * BG/NBD expected-purchases formula needs it.
 *
 * The power series is summed directly. For customers with many purchases the
 * parameters a, b, c are large and the terms grow huge before they shrink
 * (2F1 can exceed 1e300 while the formula multiplies it by (1 - z)^a, which
 * is tiny), so the sum is carried with a separate logarithmic scale and the
 * caller's log prefactor is applied only at the end.
 */

const RESCALE_ABOVE = 1e200;
const LOG_RESCALE = Math.log(RESCALE_ABOVE);
const MAX_TERMS = 1_000_000;

/**
 * exp(logPrefactor) · 2F1(a, b; c; z), for a, b > 0, 0 <= z < 1 and c not a
 * non-positive integer (the caller keeps c away from those poles). Terms are
 * added until they no longer change the sum in double precision; z must stay
 * below 1 - 1e-5 or so for that to happen within the term budget, which the
 * BG/NBD horizons (weeks to a few years) satisfy by a wide margin.
 *
 * @example
 * scaledHypergeometric2F1(1, 1, 2, 0.5, 0); // -ln(1 - 0.5) / 0.5 ≈ 1.3862944
 */
export function scaledHypergeometric2F1(a: number, b: number, c: number, z: number, logPrefactor: number): number {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (Math.abs(sum) > RESCALE_ABOVE) {
      sum /= RESCALE_ABOVE;
      term /= RESCALE_ABOVE;
      logScale += LOG_RESCALE;
    }
    // Stop once a term no longer moves the sum; while n <= c a negative c + n can still make terms jump.
    if (n > c && Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum * Math.exp(logScale + logPrefactor);
}
