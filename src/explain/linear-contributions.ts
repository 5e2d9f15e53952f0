/**
 * Exact explanation of a logistic regression: logit(x) = w·x + b, so
 *
 *     logit(x) − logit(baseline) = Σ_i w_i (x_i − baseline_i)
 *
 * and each term is input i's share, with nothing left over. The baseline is the
 * mean encoded training vector; numeric inputs are already standardised, so a
 * share compares "this customer" with "the average training customer".
 */
export function linearContributions(
  weights: ArrayLike<number>,
  input: ArrayLike<number>,
  baseline: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = weights[i]! * (input[i]! - baseline[i]!);
  return out;
}
