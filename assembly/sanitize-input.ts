// Inputs are sanitised before they are used: NaN becomes 0 and values are clamped to
// ±INPUT_LIMIT (Infinity included). f32 overflows at 3.4e38, so without this one huge
// finite feature times a weight becomes Inf, Inf - Inf becomes NaN, and a NaN
// probability reaches the store. Features are standardised upstream, so 1e9 is far out
// of any real range. Must match INPUT_LIMIT in src/engine/input-limit.ts.
const INPUT_LIMIT: f32 = 1e9;

/** One input, sanitised; comparisons rather than min/max, which V8 expands for their NaN rules. */
// @ts-ignore: decorator
@inline
export function sanitizeScalar(x: f32): f32 {
  return x != x ? 0 : x < -INPUT_LIMIT ? -INPUT_LIMIT : x > INPUT_LIMIT ? INPUT_LIMIT : x;
}

/** Four inputs, sanitised exactly like `sanitizeScalar`. */
// @ts-ignore: decorator
@inline
export function sanitizeVector(x: v128): v128 {
  // pmax/pmin are one instruction each (maxps/minps); min/max cost several for their
  // NaN and -0 rules, which the eq mask makes moot here: the result is the same.
  const finite = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-INPUT_LIMIT)), f32x4.splat(INPUT_LIMIT));
  return v128.and(finite, f32x4.eq(x, x));
}

/**
 * Sanitises `floats` floats at `start` in place, rounded up to whole v128s (every buffer is
 * reserved that way). Training needs this in-place form: the backward pass reads the inputs again.
 */
export function sanitizeInputs(start: usize, floats: i32): void {
  const end = start + (<usize>((floats + 3) & ~3) << 2);
  if (ASC_FEATURE_SIMD) {
    for (let p = start; p < end; p += 16) v128.store(p, sanitizeVector(v128.load(p)));
  } else {
    for (let p = start; p < end; p += 4) store<f32>(p, sanitizeScalar(load<f32>(p)));
  }
}
