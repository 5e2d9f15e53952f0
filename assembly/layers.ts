// The layer table: one 64-byte record per layer at the very start of the arena, written
// by setLayer() and completed by plan(). The hot paths read it with plain loads.

export const MAX_LAYERS: i32 = 32;
const RECORD_BYTES: usize = 64;

export const INPUTS: usize = 0;
export const UNITS: usize = 4;
// Units rounded up to a multiple of 4, so every row of W, every bias and every activation
// row is a whole number of v128 lanes. The padding weights are zero and their gradients
// stay zero (nothing downstream reads padded activations), so they never change.
export const STRIDE: usize = 8;
export const ACTIVATION: usize = 12;
// Floats between two rows of this layer's input in a batch: the raw `inputs` for the
// first layer (so callers copy their row-major matrix in one go), the previous STRIDE after.
export const INPUT_STRIDE: usize = 16;
export const WEIGHTS: usize = 20;
export const BIAS: usize = 24;
export const ROW_OUT: usize = 28;
export const ROW_DELTA: usize = 32;
export const BATCH_OUT: usize = 36;
export const BATCH_DELTA: usize = 40;
// Floats between two rows of W: STRIDE, except for a single-unit layer, whose weights are
// one contiguous vector (WEIGHT_STRIDE 1) read as a dot product (assembly/dense-dot.ts).
export const WEIGHT_STRIDE: usize = 44;

export const LAYER_TABLE: usize = (__heap_base + 15) & ~15;
export const LAYER_TABLE_END: usize = LAYER_TABLE + <usize>MAX_LAYERS * RECORD_BYTES;

// @ts-ignore: decorator
@inline
export function layerField(layer: i32, field: usize): i32 {
  return load<i32>(LAYER_TABLE + (<usize>layer << 6) + field);
}

// @ts-ignore: decorator
@inline
export function setLayerField(layer: i32, field: usize, value: i32): void {
  store<i32>(LAYER_TABLE + (<usize>layer << 6) + field, value);
}
