// One dense layer for a batch (matrix-matrix): Out = act(X W + b). Register-blocked:
// 4 rows x 8 units = 8 v128 accumulators; per input k, two loads of W[k, j..j+7] are
// reused by 4 rows and each x[r, k] is one load32_splat. Leftover units (a block of 4)
// and leftover rows (fewer than 4) go through narrower blocks of the same loop.
import { activateVector } from './activations';
import { denseRow } from './dense-row';

export function denseBatch(
  x: usize, rows: i32, inputs: i32, inputStride: i32,
  weights: usize, stride: i32, bias: usize, out: usize, activation: i32,
): void {
  const xRowBytes = <usize>inputStride << 2;
  const outRowBytes = <usize>stride << 2;
  if (!ASC_FEATURE_SIMD) {
    for (let r = 0; r < rows; r++) {
      denseRow(x + <usize>r * xRowBytes, inputs, weights, stride, bias, out + <usize>r * outRowBytes, activation);
    }
    return;
  }
  const inputBytes = <usize>inputs << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = x + <usize>r * xRowBytes;
    const out0 = out + <usize>r * outRowBytes;
    let j = 0;
    for (; j + 8 <= stride; j += 8) {
      const offset = <usize>j << 2;
      const b0 = v128.load(bias + offset);
      const b1 = v128.load(bias + offset, 16);
      let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
      let w = weights + offset;
      for (let k: usize = 0; k < inputBytes; k += 4) {
        const w0 = v128.load(w);
        const w1 = v128.load(w, 16);
        const xs0 = v128.load32_splat(x0 + k);
        a00 = f32x4.add(a00, f32x4.mul(xs0, w0));
        a01 = f32x4.add(a01, f32x4.mul(xs0, w1));
        const xs1 = v128.load32_splat(x0 + xRowBytes + k);
        a10 = f32x4.add(a10, f32x4.mul(xs1, w0));
        a11 = f32x4.add(a11, f32x4.mul(xs1, w1));
        const xs2 = v128.load32_splat(x0 + 2 * xRowBytes + k);
        a20 = f32x4.add(a20, f32x4.mul(xs2, w0));
        a21 = f32x4.add(a21, f32x4.mul(xs2, w1));
        const xs3 = v128.load32_splat(x0 + 3 * xRowBytes + k);
        a30 = f32x4.add(a30, f32x4.mul(xs3, w0));
        a31 = f32x4.add(a31, f32x4.mul(xs3, w1));
        w += outRowBytes;
      }
      const o = out0 + offset;
      v128.store(o, activateVector(a00, activation));
      v128.store(o, activateVector(a01, activation), 16);
      v128.store(o + outRowBytes, activateVector(a10, activation));
      v128.store(o + outRowBytes, activateVector(a11, activation), 16);
      v128.store(o + 2 * outRowBytes, activateVector(a20, activation));
      v128.store(o + 2 * outRowBytes, activateVector(a21, activation), 16);
      v128.store(o + 3 * outRowBytes, activateVector(a30, activation));
      v128.store(o + 3 * outRowBytes, activateVector(a31, activation), 16);
    }
    if (j < stride) {
      const offset = <usize>j << 2;
      const b0 = v128.load(bias + offset);
      let a0 = b0, a1 = b0, a2 = b0, a3 = b0;
      let w = weights + offset;
      for (let k: usize = 0; k < inputBytes; k += 4) {
        const w0 = v128.load(w);
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(x0 + k), w0));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(x0 + xRowBytes + k), w0));
        a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(x0 + 2 * xRowBytes + k), w0));
        a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(x0 + 3 * xRowBytes + k), w0));
        w += outRowBytes;
      }
      const o = out0 + offset;
      v128.store(o, activateVector(a0, activation));
      v128.store(o + outRowBytes, activateVector(a1, activation));
      v128.store(o + 2 * outRowBytes, activateVector(a2, activation));
      v128.store(o + 3 * outRowBytes, activateVector(a3, activation));
    }
  }
  for (; r < rows; r++) {
    denseRow(x + <usize>r * xRowBytes, inputs, weights, stride, bias, out + <usize>r * outRowBytes, activation);
  }
}
