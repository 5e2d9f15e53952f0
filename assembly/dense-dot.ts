// A single-unit layer (the output logit; all of logistic regression) is a dot product.
// Its weights are one contiguous vector (WEIGHT_STRIDE 1), so x and w are both read four
// floats at a time instead of spending three of four lanes on padding units. Leftover
// inputs (inputs % 4) are added one by one, so nothing reads past a row.
import { horizontalSum } from './horizontal-sum';

/** z = w · x + bias for the row at `x`. */
// @ts-ignore: decorator
@inline
export function dotRow(x: usize, inputs: i32, weights: usize, bias: f32): f32 {
  const vectorEnd = <usize>(inputs & ~3) << 2;
  const end = <usize>inputs << 2;
  let sum: f32;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
      acc = f32x4.add(acc, f32x4.mul(v128.load(x + offset), v128.load(weights + offset)));
    }
    sum = horizontalSum(acc);
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
      s0 += load<f32>(x + offset) * load<f32>(weights + offset);
      s1 += load<f32>(x + offset, 4) * load<f32>(weights + offset, 4);
      s2 += load<f32>(x + offset, 8) * load<f32>(weights + offset, 8);
      s3 += load<f32>(x + offset, 12) * load<f32>(weights + offset, 12);
    }
    sum = (s0 + s1) + (s2 + s3);
  }
  for (let offset = vectorEnd; offset < end; offset += 4) sum += load<f32>(x + offset) * load<f32>(weights + offset);
  return sum + bias;
}

/** z[r] = w · x[r] + bias for `rows` rows, written every `outStride` floats; four rows share each load of w. */
export function dotBatch(x: usize, rows: i32, inputs: i32, inputStride: i32, weights: usize, bias: f32, out: usize, outStride: i32): void {
  const xRowBytes = <usize>inputStride << 2;
  const outRowBytes = <usize>outStride << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    const vectorEnd = <usize>(inputs & ~3) << 2;
    const end = <usize>inputs << 2;
    for (; r + 4 <= rows; r += 4) {
      const x0 = x + <usize>r * xRowBytes;
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
      for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
        const w = v128.load(weights + offset);
        acc0 = f32x4.add(acc0, f32x4.mul(v128.load(x0 + offset), w));
        acc1 = f32x4.add(acc1, f32x4.mul(v128.load(x0 + xRowBytes + offset), w));
        acc2 = f32x4.add(acc2, f32x4.mul(v128.load(x0 + 2 * xRowBytes + offset), w));
        acc3 = f32x4.add(acc3, f32x4.mul(v128.load(x0 + 3 * xRowBytes + offset), w));
      }
      let sum0 = horizontalSum(acc0), sum1 = horizontalSum(acc1), sum2 = horizontalSum(acc2), sum3 = horizontalSum(acc3);
      for (let offset = vectorEnd; offset < end; offset += 4) {
        const w = load<f32>(weights + offset);
        sum0 += load<f32>(x0 + offset) * w;
        sum1 += load<f32>(x0 + xRowBytes + offset) * w;
        sum2 += load<f32>(x0 + 2 * xRowBytes + offset) * w;
        sum3 += load<f32>(x0 + 3 * xRowBytes + offset) * w;
      }
      const o = out + <usize>r * outRowBytes;
      store<f32>(o, sum0 + bias);
      store<f32>(o + outRowBytes, sum1 + bias);
      store<f32>(o + 2 * outRowBytes, sum2 + bias);
      store<f32>(o + 3 * outRowBytes, sum3 + bias);
    }
  }
  for (; r < rows; r++) {
    store<f32>(out + <usize>r * outRowBytes, dotRow(x + <usize>r * xRowBytes, inputs, weights, bias));
  }
}
