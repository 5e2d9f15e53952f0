/**
 * The kernel's own exp (assembly/exp.ts: a polynomial, 2^n by exponent bits, n rounded by
 * adding 1.5·2^23) is accurate to a few f32 ulps, in its scalar form (single row) and its
 * vector form (four rows per batch step). Seen through a 1-input logistic regression with
 * weight 1 and bias 0, whose probability is exactly sigmoid(x).
 */
import { describe, expect, it } from 'vitest';
import type { Engine, NetworkShape } from '../../src/engine/types.js';
import { scalarEngine, simdEngine } from './kernels.js';

const IDENTITY_LOGIT: NetworkShape = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }] };
/** f32 carries 24 bits (ulp 1.19e-7 relative); three ulps covers the polynomial and the final division. */
const RELATIVE_TOLERANCE = 3.6e-7;

/** Logits from -80 to 80 in irregular steps, including the halfway points of n·ln2 where the rounding of n ties. */
function logits(): Float32Array {
  const values: number[] = [];
  for (let z = -80; z <= 80; z += 0.0137) values.push(z);
  for (let n = -115; n <= 115; n++) values.push((n + 0.5) * Math.LN2);
  return Float32Array.from(values);
}

function worstRelativeError(probabilities: ArrayLike<number>, z: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < z.length; i++) {
    const want = 1 / (1 + Math.exp(-z[i]!));
    worst = Math.max(worst, Math.abs(probabilities[i]! - want) / want);
  }
  return worst;
}

describe("the kernel's sigmoid is accurate to a few f32 ulps", () => {
  for (const [kernelName, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as [string, () => Engine][]) {
    it(`${kernelName} kernel: batch and single-row sigmoid(z) for z in [-80, 80] within ${RELATIVE_TOLERANCE} relative`, () => {
      const z = logits();
      const network = makeEngine().createNetwork(IDENTITY_LOGIT, { maxBatch: z.length });
      network.setParameters(new Float32Array([1, 0]));
      expect(worstRelativeError(network.predictBatch(z, z.length), z)).toBeLessThan(RELATIVE_TOLERANCE);
      const single = z.map((value) => {
        network.input[0] = value;
        return network.predictInput();
      });
      expect(worstRelativeError(single, z)).toBeLessThan(RELATIVE_TOLERANCE);
    });

    it(`${kernelName} kernel: saturates to [0, 1] without NaN beyond the exp clamp`, () => {
      const z = Float32Array.from([-1e9, -500, -88, -87.3, 87.3, 88, 500, 1e9]);
      const network = makeEngine().createNetwork(IDENTITY_LOGIT);
      network.setParameters(new Float32Array([1, 0]));
      const probabilities = network.predictBatch(z, z.length);
      for (const p of probabilities) expect(p >= 0 && p <= 1).toBe(true);
      expect(probabilities[0]).toBeLessThan(1e-37);
      expect(probabilities[7]).toBe(1);
    });
  }
});
