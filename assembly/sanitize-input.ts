// Inputs are sanitised in place before a forward pass: NaN becomes 0 and values are
// clamped to ±INPUT_LIMIT (Infinity included). f32 overflows at 3.4e38, so without this
// one huge finite feature times a weight becomes Inf, Inf - Inf becomes NaN, and a NaN
// probability reaches the store. Features are standardised upstream, so 1e9 is far out
// of any real range. Must match INPUT_LIMIT in src/engine/input-limit.ts.
const INPUT_LIMIT: f32 = 1e9;

/** Sanitises `floats` floats at `start`, rounded up to whole v128s (every buffer is reserved that way). */
export function sanitizeInputs(start: usize, floats: i32): void {
  const end = start + (<usize>((floats + 3) & ~3) << 2);
  if (ASC_FEATURE_SIMD) {
    const high = f32x4.splat(INPUT_LIMIT);
    const low = f32x4.splat(-INPUT_LIMIT);
    for (let p = start; p < end; p += 16) {
      const x = v128.load(p);
      // pmax/pmin are one instruction each (maxps/minps); min/max cost several for their
      // NaN and -0 rules, which the eq mask makes moot here: the result is the same.
      const finite = f32x4.pmin(f32x4.pmax(x, low), high);
      v128.store(p, v128.and(finite, f32x4.eq(x, x)));
    }
  } else {
    for (let p = start; p < end; p += 4) {
      const x = load<f32>(p);
      store<f32>(p, x != x ? 0 : min<f32>(max<f32>(x, -INPUT_LIMIT), INPUT_LIMIT));
    }
  }
}
