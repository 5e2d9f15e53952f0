/**
 * How large a network's weighted sums can get, whatever it is fed. Every engine clamps each
 * input to ±INPUT_LIMIT first (input-limit.ts), so the inputs live in a box; interval
 * arithmetic carries that box through the layers: a unit's sum is at most |bias| + Σ |w|·|x|,
 * relu and linear pass that bound on, tanh and sigmoid squash it to 1. Every partial sum the
 * kernel forms is no larger, in any order of addition. So when no bound comes near float32's
 * 3.4e38, no sum can overflow to ±Infinity, no Infinity − Infinity can make a NaN, and every
 * probability is a number in [0, 1], for any input at all. Runtime-neutral.
 */
import { INPUT_LIMIT } from './input-limit.js';
import { resolveShape } from './network-shape.js';
import type { NetworkShape } from './types.js';

/**
 * The ceiling a bound must stay under: half of float32's largest value, which leaves room for
 * the rounding of every product and sum (a relative error below n·2⁻²⁴, far under a factor 2).
 */
export const SAFE_SUM_LIMIT = 3.4028234663852886e38 / 2;

/** The largest weighted sum a layer can form, and where it is. */
export interface WeightedSumBound {
  /** 0-based layer; the last layer's sum is the logit. */
  readonly layer: number;
  readonly unit: number;
  readonly bound: number;
}

/**
 * The largest |weighted sum| of any unit for inputs within ±INPUT_LIMIT, computed in float64.
 * Infinity when the parameters are not finite.
 *
 * @example
 * ```ts
 * const worst = largestWeightedSum(file.architecture, decodeWeights(file));
 * if (!(worst.bound < SAFE_SUM_LIMIT)) throw new Error(`layer ${worst.layer} can overflow`);
 * ```
 */
export function largestWeightedSum(shape: NetworkShape, parameters: ArrayLike<number>): WeightedSumBound {
  let inputBounds = new Float64Array(shape.inputs).fill(INPUT_LIMIT);
  let worst: WeightedSumBound = { layer: 0, unit: 0, bound: 0 };
  resolveShape(shape).layers.forEach((layer, index) => {
    const sums = new Float64Array(layer.units);
    for (let j = 0; j < layer.units; j++) sums[j] = Math.abs(parameters[layer.biasOffset + j]!);
    for (let i = 0; i < layer.inputs; i++) {
      const x = inputBounds[i]!;
      const row = layer.weightOffset + i * layer.units;
      for (let j = 0; j < layer.units; j++) sums[j]! += Math.abs(parameters[row + j]!) * x;
    }
    for (let j = 0; j < layer.units; j++) {
      // `!(a <= b)` so that a NaN bound (a non-finite parameter) counts as the worst.
      if (!(sums[j]! <= worst.bound)) worst = { layer: index, unit: j, bound: sums[j]! === sums[j]! ? sums[j]! : Infinity };
    }
    const squashed = layer.activation === 'tanh' || layer.activation === 'sigmoid';
    inputBounds = squashed ? sums.fill(1) : sums;
  });
  return worst;
}
