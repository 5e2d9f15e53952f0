// Backpropagation through one dense layer. With D = d loss / d pre-activation (rows x stride)
// and A = the layer's input (rows x inputStride):
//   dW += A^T D,   db += column sums of D,   D_previous = (D W^T) * act'(A)
// The scalar build keeps the SIMD build's order of additions (4 partial sums per dot
// product, combined the same way), so both builds produce the same floats.
import { derivativeScalar, derivativeVector } from './activations';

export function accumulateLayerGradient(
  input: usize, inputStride: i32, inputs: i32, delta: usize, stride: i32, rows: i32,
  gradientWeights: usize, gradientBias: usize,
): void {
  const inputRowBytes = <usize>inputStride << 2;
  const deltaRowBytes = <usize>stride << 2;
  const rowsEnd = <usize>rows * deltaRowBytes;
  for (let j = 0; j < stride; j += 4) {
    const offset = <usize>j << 2;
    if (ASC_FEATURE_SIMD) {
      let acc = v128.load(gradientBias + offset);
      for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) acc = f32x4.add(acc, v128.load(delta + d + offset));
      v128.store(gradientBias + offset, acc);
    } else {
      for (let lane: usize = 0; lane < 16; lane += 4) {
        let acc = load<f32>(gradientBias + offset + lane);
        for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) acc += load<f32>(delta + d + offset + lane);
        store<f32>(gradientBias + offset + lane, acc);
      }
    }
  }
  for (let k = 0; k < inputs; k++) {
    const gradientRow = gradientWeights + <usize>k * deltaRowBytes;
    const inputColumn = input + (<usize>k << 2);
    for (let j = 0; j < stride; j += 4) {
      const offset = <usize>j << 2;
      if (ASC_FEATURE_SIMD) {
        let acc = v128.load(gradientRow + offset);
        let a = inputColumn;
        for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
          acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(a), v128.load(delta + d + offset)));
          a += inputRowBytes;
        }
        v128.store(gradientRow + offset, acc);
      } else {
        for (let lane: usize = 0; lane < 16; lane += 4) {
          let acc = load<f32>(gradientRow + offset + lane);
          let a = inputColumn;
          for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
            acc += load<f32>(a) * load<f32>(delta + d + offset + lane);
            a += inputRowBytes;
          }
          store<f32>(gradientRow + offset + lane, acc);
        }
      }
    }
  }
}

/** D_previous[r, k] = (sum_j W[k, j] D[r, j]) * act'(A[r, k]) for k < inputs; padded columns are never written. */
export function propagateDelta(
  delta: usize, stride: i32, rows: i32, weights: usize, inputs: i32,
  previousOut: usize, previousStride: i32, previousActivation: i32, previousDelta: usize,
): void {
  const deltaRowBytes = <usize>stride << 2;
  const previousRowBytes = <usize>previousStride << 2;
  for (let r = 0; r < rows; r++) {
    const deltaRow = delta + <usize>r * deltaRowBytes;
    const outRow = previousOut + <usize>r * previousRowBytes;
    const previousDeltaRow = previousDelta + <usize>r * previousRowBytes;
    let weightRow = weights;
    for (let k = 0; k < inputs; k++) {
      let sum: f32;
      if (ASC_FEATURE_SIMD) {
        let acc = f32x4.splat(0);
        for (let offset: usize = 0; offset < deltaRowBytes; offset += 16) {
          acc = f32x4.add(acc, f32x4.mul(v128.load(weightRow + offset), v128.load(deltaRow + offset)));
        }
        sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      } else {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        for (let offset: usize = 0; offset < deltaRowBytes; offset += 16) {
          s0 += load<f32>(weightRow + offset) * load<f32>(deltaRow + offset);
          s1 += load<f32>(weightRow + offset, 4) * load<f32>(deltaRow + offset, 4);
          s2 += load<f32>(weightRow + offset, 8) * load<f32>(deltaRow + offset, 8);
          s3 += load<f32>(weightRow + offset, 12) * load<f32>(deltaRow + offset, 12);
        }
        sum = (s0 + s1) + (s2 + s3);
      }
      const k4 = <usize>k << 2;
      store<f32>(previousDeltaRow + k4, sum * derivativeScalar(load<f32>(outRow + k4), previousActivation));
      weightRow += deltaRowBytes;
    }
  }
}
