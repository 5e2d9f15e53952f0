import type { Network } from '../engine/types.js';

/**
 * Integrated gradients (Sundararajan et al., 2017) of the network's logit, from
 * `baseline` to `input` along the straight line, with the trapezoid rule:
 *
 *     share_i = (x_i − b_i) · ∫₀¹ ∂logit/∂x_i (b + α (x − b)) dα
 *
 * Completeness: the shares sum to logit(x) − logit(b) up to the quadrature error,
 * which shrinks as 1/steps² for smooth activations; with ReLU kinks and 32 steps it
 * is typically well under 1 % of |logit(x) − logit(b)| (tested). Uses
 * `steps + 1` gradient evaluations and two scratch vectors, nothing else.
 */
export function integratedGradients(
  network: Network,
  input: ArrayLike<number>,
  baseline: ArrayLike<number>,
  steps: number,
  out: Float64Array,
): Float64Array {
  const size = out.length;
  const point = new Float32Array(size);
  const gradient = new Float32Array(size);
  out.fill(0);
  for (let step = 0; step <= steps; step++) {
    const alpha = step / steps;
    for (let i = 0; i < size; i++) point[i] = baseline[i]! + alpha * (input[i]! - baseline[i]!);
    network.inputGradient(point, gradient);
    const weight = step === 0 || step === steps ? 0.5 : 1;
    for (let i = 0; i < size; i++) out[i]! += weight * gradient[i]!;
  }
  for (let i = 0; i < size; i++) out[i] = (out[i]! / steps) * (input[i]! - baseline[i]!);
  return out;
}
