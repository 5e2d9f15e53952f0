// The memory plan. Every buffer a network needs (parameters, gradients, optimizer state,
// the input slots, per-layer activations and deltas for one row and for a full batch) is
// laid out once, when the network is created, and memory grows exactly once.
//
// Why the `stub` runtime and no garbage collector: nothing here is ever freed and nothing
// is allocated after plan(), so a collector would only add code size, a shadow stack and
// the risk of a collection pause inside a prediction. The stub runtime has no collector;
// the arena starts at __heap_base, after the layer table.
import {
  LAYER_TABLE_END, INPUTS, UNITS, STRIDE, WEIGHT_STRIDE, INPUT_STRIDE, WEIGHTS, BIAS, ROW_OUT, ROW_DELTA, BATCH_OUT, BATCH_DELTA,
  layerField, setLayerField,
} from './layers';

export let layerCount: i32 = 0;
export let batchCapacity: i32 = 0;
/** Floats in each of the parameter, gradient, first- and second-moment blocks. */
export let parameterFloats: i32 = 0;
export let parameters: usize = 0;
export let gradient: usize = 0;
export let firstMoment: usize = 0;
export let secondMoment: usize = 0;
/** One row of `inputs` floats, written by JavaScript for predict(). */
export let inputRow: usize = 0;
/** d logit / d input for the row in inputRow, written by inputGradient(). */
export let inputDelta: usize = 0;
/** batchCapacity rows of `inputs` floats, row-major. */
export let batchInput: usize = 0;
export let labels: usize = 0;
export let sampleWeights: usize = 0;
/** Probabilities written by predictBatch(). */
export let batchOutput: usize = 0;

let cursor: usize = 0;

// @ts-ignore: decorator
@inline
function roundUp4(count: i32): i32 {
  return (count + 3) & ~3;
}

/** W's floats: padded rows, or a single-unit layer's weight vector padded to whole v128s. */
function weightFloats(layer: i32): i32 {
  const inputs = layerField(layer, INPUTS);
  return layerField(layer, UNITS) == 1 ? roundUp4(inputs) : inputs * layerField(layer, STRIDE);
}

/** Reserves `floats` floats, rounded up to whole v128s so every buffer stays 16-byte aligned. */
function reserve(floats: i32): usize {
  const start = cursor;
  cursor += <usize>roundUp4(floats) << 2;
  return start;
}

/** Lays out the arena for the layers already in the table; returns 0, or -1 if memory cannot grow. */
export function planArena(layers: i32, capacity: i32): i32 {
  layerCount = layers;
  batchCapacity = capacity;
  cursor = LAYER_TABLE_END;

  let floats = 0;
  for (let l = 0; l < layers; l++) {
    const stride = roundUp4(layerField(l, UNITS));
    setLayerField(l, STRIDE, stride);
    setLayerField(l, WEIGHT_STRIDE, layerField(l, UNITS) == 1 ? 1 : stride);
    setLayerField(l, INPUT_STRIDE, l == 0 ? layerField(0, INPUTS) : layerField(l - 1, STRIDE));
    floats += weightFloats(l) + stride;
  }
  parameterFloats = floats;
  parameters = reserve(floats);
  gradient = reserve(floats);
  firstMoment = reserve(floats);
  secondMoment = reserve(floats);

  // Each layer's weights and bias sit at the same offsets inside the gradient and moment blocks.
  let offset = parameters;
  for (let l = 0; l < layers; l++) {
    setLayerField(l, WEIGHTS, <i32>offset);
    offset += <usize>weightFloats(l) << 2;
    setLayerField(l, BIAS, <i32>offset);
    offset += <usize>layerField(l, STRIDE) << 2;
  }

  const inputs = layerField(0, INPUTS);
  inputRow = reserve(inputs);
  inputDelta = reserve(inputs);
  batchInput = reserve(inputs * capacity);
  labels = reserve(capacity);
  sampleWeights = reserve(capacity);
  batchOutput = reserve(capacity);
  for (let l = 0; l < layers; l++) {
    const stride = layerField(l, STRIDE);
    setLayerField(l, ROW_OUT, <i32>reserve(stride));
    setLayerField(l, ROW_DELTA, <i32>reserve(stride));
    setLayerField(l, BATCH_OUT, <i32>reserve(stride * capacity));
    setLayerField(l, BATCH_DELTA, <i32>reserve(stride * capacity));
  }

  const pagesNeeded = <i32>((cursor + 0xffff) >> 16);
  const pagesMissing = pagesNeeded - memory.size();
  if (pagesMissing > 0 && memory.grow(pagesMissing) < 0) return -1;
  return 0;
}
