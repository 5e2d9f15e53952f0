import type { Network } from '../engine/types.js';

/**
 * How the path integral is approximated:
 * - `trapezoid`: `steps + 1` gradients at α = 0, 1/steps, …, 1, the ends weighted ½. The
 *   reference (32 steps by default): completeness error typically well under 1 % of
 *   |logit(x) − logit(b)| with ReLU kinks (tested).
 * - `midpoint`: `steps` gradients at α = (k + ½)/steps. With one step it is a single gradient
 *   halfway between the baseline and the input, times their distance: an explanation for
 *   the cost of about one prediction (a forward and a backward pass), which agrees with the
 *   32-step reference on the top reasons most of the time (bench/RESULTS.md, "Reasons").
 */
export type QuadratureRule = 'trapezoid' | 'midpoint';

/** Scratch vectors of one input's size, allocated once per model and reused by every call. */
export interface GradientScratch {
  point: Float32Array;
  gradient: Float32Array;
}

export function gradientScratch(size: number): GradientScratch {
  return { point: new Float32Array(size), gradient: new Float32Array(size) };
}

/**
 * Integrated gradients (Sundararajan et al., 2017) of the network's logit, from
 * `baseline` to `input` along the straight line:
 *
 *     share_i = (x_i − b_i) · ∫₀¹ ∂logit/∂x_i (b + α (x − b)) dα
 *
 * Completeness: the shares sum to logit(x) − logit(b) up to the quadrature error (exactly,
 * for any rule, when the network is linear). Writes `out` and returns it; allocates nothing.
 */
export function integratedGradients(
  network: Network,
  input: ArrayLike<number>,
  baseline: ArrayLike<number>,
  steps: number,
  out: Float64Array,
  rule: QuadratureRule = 'trapezoid',
  scratch: GradientScratch = gradientScratch(out.length),
): Float64Array {
  const size = out.length;
  const { point, gradient } = scratch;
  out.fill(0);
  const points = rule === 'trapezoid' ? steps + 1 : steps;
  for (let step = 0; step < points; step++) {
    const alpha = rule === 'trapezoid' ? step / steps : (step + 0.5) / steps;
    for (let i = 0; i < size; i++) point[i] = baseline[i]! + alpha * (input[i]! - baseline[i]!);
    network.inputGradient(point, gradient);
    const weight = rule === 'trapezoid' && (step === 0 || step === steps) ? 0.5 : 1;
    for (let i = 0; i < size; i++) out[i]! += weight * gradient[i]!;
  }
  for (let i = 0; i < size; i++) out[i] = (out[i]! / steps) * (input[i]! - baseline[i]!);
  return out;
}
