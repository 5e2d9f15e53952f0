// Weighted binary cross-entropy from logits, in softplus form:
//   loss(z, y) = max(z, 0) - z*y + log(1 + exp(-|z|))
// exp only ever sees -|z| <= 0, so the loss is finite for any finite logit, and its
// derivative sigmoid(z) - y needs no log at all.
import { expScalar } from './exp';
import { sigmoidScalar } from './activations';

/**
 * For `rows` logits (one per `logitStride` floats), writes d loss / d logit, already multiplied
 * by the sample weight and `scale` (1 / rows of the whole batch), into `delta`, and returns
 * the sum of weighted losses (unscaled, in f64 so large batches do not lose digits).
 */
export function outputDeltas(logits: usize, logitStride: i32, rows: i32, labels: usize, weights: usize, scale: f32, delta: usize): f64 {
  const strideBytes = <usize>logitStride << 2;
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = load<f32>(logits + <usize>r * strideBytes);
    const label = load<f32>(labels + (<usize>r << 2));
    const weight = load<f32>(weights + (<usize>r << 2));
    const loss = max<f32>(z, 0) - z * label + Mathf.log1p(expScalar(-abs<f32>(z)));
    sum += <f64>(weight * loss);
    store<f32>(delta + <usize>r * strideBytes, weight * (sigmoidScalar(z) - label) * scale);
  }
  return sum;
}
