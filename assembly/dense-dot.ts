// A single-unit layer (the output logit; all of logistic regression) is a dot product.
// Its weights are one contiguous vector (WEIGHT_STRIDE 1), so x and w are both read four
// floats at a time instead of spending three of four lanes on padding units. Leftover
// inputs (inputs % 4) are added one by one, so nothing reads past a row.
// When this layer reads the network's raw inputs it can sanitise them as it loads them
// (`sanitize`), which saves a whole pass over the input: each input is read only once.
// `sanitize` is always a constant at the call site, so the inlined loops carry no branch.
import { sigmoidScalar, sigmoidVector } from './activations';
import { horizontalSum } from './horizontal-sum';
import { sanitizeScalar, sanitizeVector } from './sanitize-input';

// @ts-ignore: decorator
@inline
function loadInputs(at: usize, sanitize: bool): v128 {
  return sanitize ? sanitizeVector(v128.load(at)) : v128.load(at);
}

// @ts-ignore: decorator
@inline
function loadInput(at: usize, sanitize: bool): f32 {
  return sanitize ? sanitizeScalar(load<f32>(at)) : load<f32>(at);
}

/** z = w · x + bias for the row at `x`. */
// @ts-ignore: decorator
@inline
export function dotRow(x: usize, inputs: i32, weights: usize, bias: f32, sanitize: bool = false): f32 {
  const vectorEnd = <usize>(inputs & ~3) << 2;
  const end = <usize>inputs << 2;
  let sum: f32;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
      acc = f32x4.add(acc, f32x4.mul(loadInputs(x + offset, sanitize), v128.load(weights + offset)));
    }
    sum = horizontalSum(acc);
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
      s0 += loadInput(x + offset, sanitize) * load<f32>(weights + offset);
      s1 += loadInput(x + offset + 4, sanitize) * load<f32>(weights + offset, 4);
      s2 += loadInput(x + offset + 8, sanitize) * load<f32>(weights + offset, 8);
      s3 += loadInput(x + offset + 12, sanitize) * load<f32>(weights + offset, 12);
    }
    sum = (s0 + s1) + (s2 + s3);
  }
  for (let offset = vectorEnd; offset < end; offset += 4) sum += loadInput(x + offset, sanitize) * load<f32>(weights + offset);
  return sum + bias;
}

/**
 * The logits of the four rows at `x0`, one per lane. Four rows share each load of w; their
 * four accumulators are summed across lanes in one transpose-and-add, in the same order as
 * `horizontalSum` ((l0 + l1) + (l2 + l3)), so every lane rounds exactly like `dotRow`.
 */
// @ts-ignore: decorator
@inline
function dotFourRows(x0: usize, xRowBytes: usize, inputs: i32, weights: usize, bias: f32, sanitize: bool): v128 {
  const vectorEnd = <usize>(inputs & ~3) << 2;
  const end = <usize>inputs << 2;
  const x1 = x0 + xRowBytes, x2 = x1 + xRowBytes, x3 = x2 + xRowBytes;
  let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
  for (let offset: usize = 0; offset < vectorEnd; offset += 16) {
    const w = v128.load(weights + offset);
    acc0 = f32x4.add(acc0, f32x4.mul(loadInputs(x0 + offset, sanitize), w));
    acc1 = f32x4.add(acc1, f32x4.mul(loadInputs(x1 + offset, sanitize), w));
    acc2 = f32x4.add(acc2, f32x4.mul(loadInputs(x2 + offset, sanitize), w));
    acc3 = f32x4.add(acc3, f32x4.mul(loadInputs(x3 + offset, sanitize), w));
  }
  // (a0+a1, b0+b1, a2+a3, b2+b3) and the same for rows 2 and 3, then the halves added.
  const pairs01 = f32x4.add(v128.shuffle<f32>(acc0, acc1, 0, 4, 2, 6), v128.shuffle<f32>(acc0, acc1, 1, 5, 3, 7));
  const pairs23 = f32x4.add(v128.shuffle<f32>(acc2, acc3, 0, 4, 2, 6), v128.shuffle<f32>(acc2, acc3, 1, 5, 3, 7));
  let sums = f32x4.add(v128.shuffle<f32>(pairs01, pairs23, 0, 1, 4, 5), v128.shuffle<f32>(pairs01, pairs23, 2, 3, 6, 7));
  for (let offset = vectorEnd; offset < end; offset += 4) {
    let xs = f32x4.splat(loadInput(x0 + offset, sanitize));
    xs = f32x4.replace_lane(xs, 1, loadInput(x1 + offset, sanitize));
    xs = f32x4.replace_lane(xs, 2, loadInput(x2 + offset, sanitize));
    xs = f32x4.replace_lane(xs, 3, loadInput(x3 + offset, sanitize));
    sums = f32x4.add(sums, f32x4.mul(xs, v128.load32_splat(weights + offset)));
  }
  return f32x4.add(sums, f32x4.splat(bias));
}

/** z[r] = w · x[r] + bias for `rows` rows, written every `outStride` floats. */
export function dotBatch(x: usize, rows: i32, inputs: i32, inputStride: i32, weights: usize, bias: f32, out: usize, outStride: i32): void {
  const xRowBytes = <usize>inputStride << 2;
  const outRowBytes = <usize>outStride << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      const logits = dotFourRows(x + <usize>r * xRowBytes, xRowBytes, inputs, weights, bias, false);
      const o = out + <usize>r * outRowBytes;
      store<f32>(o, f32x4.extract_lane(logits, 0));
      store<f32>(o + outRowBytes, f32x4.extract_lane(logits, 1));
      store<f32>(o + 2 * outRowBytes, f32x4.extract_lane(logits, 2));
      store<f32>(o + 3 * outRowBytes, f32x4.extract_lane(logits, 3));
    }
  }
  for (; r < rows; r++) {
    store<f32>(out + <usize>r * outRowBytes, dotRow(x + <usize>r * xRowBytes, inputs, weights, bias));
  }
}

/**
 * The output unit for a prediction: sigmoid(w · x[r] + bias) for `rows` rows, written
 * contiguously to `out`. Four rows' logits come out as one v128 and go through one vector
 * sigmoid, so there is no separate pass over the logits.
 */
// @ts-ignore: decorator
@inline
export function probabilityBatch(x: usize, rows: i32, inputs: i32, inputStride: i32, weights: usize, bias: f32, out: usize, sanitize: bool): void {
  const xRowBytes = <usize>inputStride << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      v128.store(out + (<usize>r << 2), sigmoidVector(dotFourRows(x + <usize>r * xRowBytes, xRowBytes, inputs, weights, bias, sanitize)));
    }
  }
  for (; r < rows; r++) {
    store<f32>(out + (<usize>r << 2), sigmoidScalar(dotRow(x + <usize>r * xRowBytes, inputs, weights, bias, sanitize)));
  }
}
