// Backpropagation through one dense layer. With D = d loss / d pre-activation (rows x stride)
// and A = the layer's input (rows x inputStride):
//   dW += A^T D,   db += column sums of D,   D_previous = (D W^T) * act'(A)
// The scalar build keeps the SIMD build's order of additions (4 partial sums per dot
// product, combined the same way), so both builds produce the same floats.
import { derivativeScalar } from './activations';
import { horizontalSum } from './horizontal-sum';

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
  if (ASC_FEATURE_SIMD) {
    // Four inputs at a time: four independent accumulator chains share each delta load,
    // instead of one chain whose every add waits for the previous one.
    let k = 0;
    for (; k + 4 <= inputs; k += 4) {
      const gradientRow = gradientWeights + <usize>k * deltaRowBytes;
      const inputColumn = input + (<usize>k << 2);
      for (let j = 0; j < stride; j += 4) {
        const offset = <usize>j << 2;
        const g = gradientRow + offset;
        let acc0 = v128.load(g);
        let acc1 = v128.load(g + deltaRowBytes);
        let acc2 = v128.load(g + 2 * deltaRowBytes);
        let acc3 = v128.load(g + 3 * deltaRowBytes);
        let a = inputColumn;
        for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
          const dv = v128.load(delta + d + offset);
          acc0 = f32x4.add(acc0, f32x4.mul(v128.load32_splat(a), dv));
          acc1 = f32x4.add(acc1, f32x4.mul(v128.load32_splat(a, 4), dv));
          acc2 = f32x4.add(acc2, f32x4.mul(v128.load32_splat(a, 8), dv));
          acc3 = f32x4.add(acc3, f32x4.mul(v128.load32_splat(a, 12), dv));
          a += inputRowBytes;
        }
        v128.store(g, acc0);
        v128.store(g + deltaRowBytes, acc1);
        v128.store(g + 2 * deltaRowBytes, acc2);
        v128.store(g + 3 * deltaRowBytes, acc3);
      }
    }
    for (; k < inputs; k++) {
      const gradientRow = gradientWeights + <usize>k * deltaRowBytes;
      const inputColumn = input + (<usize>k << 2);
      for (let j = 0; j < stride; j += 4) {
        const offset = <usize>j << 2;
        let acc = v128.load(gradientRow + offset);
        let a = inputColumn;
        for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
          acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(a), v128.load(delta + d + offset)));
          a += inputRowBytes;
        }
        v128.store(gradientRow + offset, acc);
      }
    }
  } else {
    for (let k = 0; k < inputs; k++) {
      const gradientRow = gradientWeights + <usize>k * deltaRowBytes;
      const inputColumn = input + (<usize>k << 2);
      for (let j = 0; j < stride; j++) {
        const offset = <usize>j << 2;
        let acc = load<f32>(gradientRow + offset);
        let a = inputColumn;
        for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
          acc += load<f32>(a) * load<f32>(delta + d + offset);
          a += inputRowBytes;
        }
        store<f32>(gradientRow + offset, acc);
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
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    // Four rows at a time share each load of W[k, j..j+3] and run four independent chains.
    for (; r + 4 <= rows; r += 4) {
      const deltaRow = delta + <usize>r * deltaRowBytes;
      let weightRow = weights;
      for (let k = 0; k < inputs; k++) {
        let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
        for (let offset: usize = 0; offset < deltaRowBytes; offset += 16) {
          const w = v128.load(weightRow + offset);
          const d = deltaRow + offset;
          acc0 = f32x4.add(acc0, f32x4.mul(w, v128.load(d)));
          acc1 = f32x4.add(acc1, f32x4.mul(w, v128.load(d + deltaRowBytes)));
          acc2 = f32x4.add(acc2, f32x4.mul(w, v128.load(d + 2 * deltaRowBytes)));
          acc3 = f32x4.add(acc3, f32x4.mul(w, v128.load(d + 3 * deltaRowBytes)));
        }
        const at = <usize>r * previousRowBytes + (<usize>k << 2);
        storePreviousDelta(previousOut + at, previousDelta + at, horizontalSum(acc0), previousActivation);
        storePreviousDelta(previousOut + at + previousRowBytes, previousDelta + at + previousRowBytes, horizontalSum(acc1), previousActivation);
        storePreviousDelta(previousOut + at + 2 * previousRowBytes, previousDelta + at + 2 * previousRowBytes, horizontalSum(acc2), previousActivation);
        storePreviousDelta(previousOut + at + 3 * previousRowBytes, previousDelta + at + 3 * previousRowBytes, horizontalSum(acc3), previousActivation);
        weightRow += deltaRowBytes;
      }
    }
  }
  for (; r < rows; r++) {
    const deltaRow = delta + <usize>r * deltaRowBytes;
    let weightRow = weights;
    for (let k = 0; k < inputs; k++) {
      let sum: f32;
      if (ASC_FEATURE_SIMD) {
        let acc = f32x4.splat(0);
        for (let offset: usize = 0; offset < deltaRowBytes; offset += 16) {
          acc = f32x4.add(acc, f32x4.mul(v128.load(weightRow + offset), v128.load(deltaRow + offset)));
        }
        sum = horizontalSum(acc);
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
      const at = <usize>r * previousRowBytes + (<usize>k << 2);
      storePreviousDelta(previousOut + at, previousDelta + at, sum, previousActivation);
      weightRow += deltaRowBytes;
    }
  }
}

// @ts-ignore: decorator
@inline
function storePreviousDelta(out: usize, previousDeltaAt: usize, sum: f32, activation: i32): void {
  store<f32>(previousDeltaAt, sum * derivativeScalar(load<f32>(out), activation));
}

/** Single-unit layer (weights one contiguous vector): dw[k] += sum_r a[r, k] d[r]; db += sum_r d[r]. */
export function accumulateUnitGradient(
  input: usize, inputStride: i32, inputs: i32, delta: usize, deltaStride: i32, rows: i32,
  gradientWeights: usize, gradientBias: usize,
): void {
  const inputRowBytes = <usize>inputStride << 2;
  const deltaRowBytes = <usize>deltaStride << 2;
  const rowsEnd = <usize>rows * deltaRowBytes;
  let biasSum = load<f32>(gradientBias);
  for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) biasSum += load<f32>(delta + d);
  store<f32>(gradientBias, biasSum);
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    for (; k + 4 <= inputs; k += 4) {
      const g = gradientWeights + (<usize>k << 2);
      let acc = v128.load(g);
      let a = input + (<usize>k << 2);
      for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
        acc = f32x4.add(acc, f32x4.mul(v128.load(a), v128.load32_splat(delta + d)));
        a += inputRowBytes;
      }
      v128.store(g, acc);
    }
  }
  for (; k < inputs; k++) {
    const g = gradientWeights + (<usize>k << 2);
    let acc = load<f32>(g);
    let a = input + (<usize>k << 2);
    for (let d: usize = 0; d < rowsEnd; d += deltaRowBytes) {
      acc += load<f32>(a) * load<f32>(delta + d);
      a += inputRowBytes;
    }
    store<f32>(g, acc);
  }
}

/** Single-unit layer: D_previous[r, k] = w[k] d[r] act'(A[r, k]). */
export function propagateUnitDelta(
  delta: usize, deltaStride: i32, rows: i32, weights: usize, inputs: i32,
  previousOut: usize, previousStride: i32, previousActivation: i32, previousDelta: usize,
): void {
  const deltaRowBytes = <usize>deltaStride << 2;
  const previousRowBytes = <usize>previousStride << 2;
  for (let r = 0; r < rows; r++) {
    const d = load<f32>(delta + <usize>r * deltaRowBytes);
    for (let k = 0; k < inputs; k++) {
      const at = <usize>r * previousRowBytes + (<usize>k << 2);
      storePreviousDelta(previousOut + at, previousDelta + at, load<f32>(weights + (<usize>k << 2)) * d, previousActivation);
    }
  }
}
