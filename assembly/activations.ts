// Hidden-layer activations and their derivatives, scalar and 4-lane. Codes match
// ACTIVATION_CODES in src/engine/network-shape.ts.
// Sigmoid and tanh only ever take exp of a non-positive number, so they cannot
// overflow: for any finite z they return a value in [0, 1] / [-1, 1], never NaN.
import { expScalar, expVector } from './exp';

export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const TANH: i32 = 2;
export const SIGMOID: i32 = 3;

// @ts-ignore: decorator
@inline
export function sigmoidScalar(z: f32): f32 {
  const e = expScalar(-abs<f32>(z));
  const r: f32 = 1.0 / (1.0 + e);
  return z >= 0 ? r : e * r;
}

// @ts-ignore: decorator
@inline
export function sigmoidVector(z: v128): v128 {
  const e = expVector(f32x4.neg(f32x4.abs(z)));
  const r = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(z, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
function tanhScalar(z: f32): f32 {
  const e: f32 = expScalar(<f32>-2.0 * abs<f32>(z));
  const t: f32 = (<f32>1.0 - e) / (<f32>1.0 + e);
  return z >= 0 ? t : -t;
}

// @ts-ignore: decorator
@inline
function tanhVector(z: v128): v128 {
  const e = expVector(f32x4.mul(f32x4.splat(-2.0), f32x4.abs(z)));
  const t = f32x4.div(f32x4.sub(f32x4.splat(1.0), e), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(t, f32x4.neg(t), f32x4.ge(z, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
export function activateScalar(z: f32, activation: i32): f32 {
  if (activation == RELU) return max<f32>(z, 0);
  if (activation == LINEAR) return z;
  return smoothActivationScalar(z, activation);
}

function smoothActivationScalar(z: f32, activation: i32): f32 {
  return activation == TANH ? tanhScalar(z) : sigmoidScalar(z);
}

// relu and linear are one instruction and stay inline in every GEMM block; the exp-based
// ones are called out of line, which keeps the SIMD build small (they are rare in hidden layers).
// @ts-ignore: decorator
@inline
export function activateVector(z: v128, activation: i32): v128 {
  // pmax is one instruction; it differs from max only for NaN, which sanitised inputs never produce.
  if (activation == RELU) return f32x4.pmax(z, f32x4.splat(0));
  if (activation == LINEAR) return z;
  return smoothActivationVector(z, activation);
}

function smoothActivationVector(z: v128, activation: i32): v128 {
  return activation == TANH ? tanhVector(z) : sigmoidVector(z);
}

// The derivative written through the activation's output a (all the forward pass keeps).
// @ts-ignore: decorator
@inline
export function derivativeScalar(a: f32, activation: i32): f32 {
  if (activation == RELU) return a > 0 ? 1.0 : 0.0;
  if (activation == TANH) return 1.0 - a * a;
  if (activation == SIGMOID) return a * (1.0 - a);
  return 1.0;
}
