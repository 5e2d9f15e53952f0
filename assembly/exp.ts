// exp(x) for f32, the same polynomial in a scalar and a 4-lane form, so the SIMD and
// scalar builds round identically. Cephes-style: x = n*ln2 + r with |r| <= ln2/2,
// e^r by a degree-6 polynomial (~1 ulp), 2^n by writing n into the exponent bits.
// The input is clamped to [-87.3, 88.3] first: the result then stays a normal float
// (never Inf, never a denormal), which is what lets sigmoid and tanh saturate cleanly.

const EXP_LOW: f32 = -87.3;
const EXP_HIGH: f32 = 88.3;
const LOG2E: f32 = 1.44269504088896341;
// ln 2 split in two so n * LN2_HIGH is exact for |n| < 2^9.
const LN2_HIGH: f32 = 0.693359375;
const LN2_LOW: f32 = -2.12194440e-4;
// Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to the nearest integer (ties to
// even, exactly like `nearest`) and leaves that integer in the low mantissa bits, so the
// SIMD form gets n and 2^n without f32x4.nearest or i32x4.trunc_sat, which V8 expands
// into long instruction sequences on x64.
const ROUNDER: f32 = 12582912.0;
const ROUNDER_BITS: i32 = 0x4b400000;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

// @ts-ignore: decorator
@inline
export function expScalar(x: f32): f32 {
  // Comparisons, not min/max: V8 spends several instructions on min/max's NaN and -0 rules.
  x = x < EXP_LOW ? EXP_LOW : x > EXP_HIGH ? EXP_HIGH : x;
  const n = nearest<f32>(x * LOG2E);
  const r = x - n * LN2_HIGH - n * LN2_LOW;
  let y = P0 * r + P1;
  y = y * r + P2;
  y = y * r + P3;
  y = y * r + P4;
  y = y * r + P5;
  y = y * (r * r) + r + 1.0;
  return y * reinterpret<f32>((<i32>n + 127) << 23);
}

// @ts-ignore: decorator
@inline
export function expVector(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LOW)), f32x4.splat(EXP_HIGH));
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HIGH))), f32x4.mul(n, f32x4.splat(LN2_LOW)));
  let y = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P4));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P5));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const twoToN = i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - ROUNDER_BITS)), 23);
  return f32x4.mul(y, twoToN);
}
