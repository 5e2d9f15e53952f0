// L2 regularisation on weights (never biases): adds l2 * w to each weight's gradient and
// returns the penalty l2/2 * sum(w^2). Padding weights are zero, so they add nothing.
import { layerCount } from './arena';
import { WEIGHTS, BIAS, layerField } from './layers';

export function addL2(l2: f32, gradientShift: usize): f64 {
  let sumOfSquares: f64 = 0;
  for (let l = 0; l < layerCount; l++) {
    const end = <usize>layerField(l, BIAS);
    let layerSum: f32 = 0;
    for (let p = <usize>layerField(l, WEIGHTS); p < end; p += 4) {
      const w = load<f32>(p);
      layerSum += w * w;
      store<f32>(p + gradientShift, load<f32>(p + gradientShift) + l2 * w);
    }
    sumOfSquares += <f64>layerSum;
  }
  return 0.5 * <f64>l2 * sumOfSquares;
}
