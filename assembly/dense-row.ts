// One dense layer for one row (matrix-vector), bias and activation fused into the store.
// W is input-major, so input k's weights to units j..j+3 are one v128: the row streams
// through W once as acc += splat(x[k]) * W[k, j..j+3], with up to 16 units (4 vectors)
// of accumulators held in registers per pass.
import { activateScalar, activateVector } from './activations';

export function denseRow(x: usize, inputs: i32, weights: usize, stride: i32, bias: usize, out: usize, activation: i32): void {
  const rowBytes = <usize>stride << 2;
  const inputEnd = x + (<usize>inputs << 2);
  if (ASC_FEATURE_SIMD) {
    let j = 0;
    for (; j + 16 <= stride; j += 16) {
      const offset = <usize>j << 2;
      let acc0 = v128.load(bias + offset);
      let acc1 = v128.load(bias + offset, 16);
      let acc2 = v128.load(bias + offset, 32);
      let acc3 = v128.load(bias + offset, 48);
      let w = weights + offset;
      for (let input = x; input < inputEnd; input += 4) {
        const xs = v128.load32_splat(input);
        acc0 = f32x4.add(acc0, f32x4.mul(xs, v128.load(w)));
        acc1 = f32x4.add(acc1, f32x4.mul(xs, v128.load(w, 16)));
        acc2 = f32x4.add(acc2, f32x4.mul(xs, v128.load(w, 32)));
        acc3 = f32x4.add(acc3, f32x4.mul(xs, v128.load(w, 48)));
        w += rowBytes;
      }
      v128.store(out + offset, activateVector(acc0, activation));
      v128.store(out + offset, activateVector(acc1, activation), 16);
      v128.store(out + offset, activateVector(acc2, activation), 32);
      v128.store(out + offset, activateVector(acc3, activation), 48);
    }
    for (; j < stride; j += 4) {
      const offset = <usize>j << 2;
      let acc = v128.load(bias + offset);
      let w = weights + offset;
      for (let input = x; input < inputEnd; input += 4) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(input), v128.load(w)));
        w += rowBytes;
      }
      v128.store(out + offset, activateVector(acc, activation));
    }
  } else {
    // Same order of operations per unit as the SIMD lanes (bias, then inputs in order),
    // so both builds round identically.
    for (let j = 0; j < stride; j += 4) {
      const offset = <usize>j << 2;
      let acc0 = load<f32>(bias + offset);
      let acc1 = load<f32>(bias + offset, 4);
      let acc2 = load<f32>(bias + offset, 8);
      let acc3 = load<f32>(bias + offset, 12);
      let w = weights + offset;
      for (let input = x; input < inputEnd; input += 4) {
        const xk = load<f32>(input);
        acc0 += xk * load<f32>(w);
        acc1 += xk * load<f32>(w, 4);
        acc2 += xk * load<f32>(w, 8);
        acc3 += xk * load<f32>(w, 12);
        w += rowBytes;
      }
      store<f32>(out + offset, activateScalar(acc0, activation));
      store<f32>(out + offset, activateScalar(acc1, activation), 4);
      store<f32>(out + offset, activateScalar(acc2, activation), 8);
      store<f32>(out + offset, activateScalar(acc3, activation), 12);
    }
  }
}
