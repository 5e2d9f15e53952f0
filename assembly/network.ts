// Whole-network passes over the layer table: forward for one row or a batch, and
// backward for a batch (or for one row, to get d logit / d input). The output layer is
// computed as a linear logit; its sigmoid is applied by the caller or inside the loss.
import { LINEAR } from './activations';
import { accumulateLayerGradient, propagateDelta } from './backward';
import { denseBatch } from './dense-batch';
import { denseRow } from './dense-row';
import { sanitizeInputs } from './sanitize-input';
import { layerCount, inputRow, inputDelta, batchInput, gradient, parameters } from './arena';
import {
  INPUTS, STRIDE, ACTIVATION, INPUT_STRIDE, WEIGHTS, BIAS, ROW_OUT, ROW_DELTA, BATCH_OUT, BATCH_DELTA, layerField,
} from './layers';

// @ts-ignore: decorator
@inline
function hiddenActivation(layer: i32): i32 {
  return layer == layerCount - 1 ? LINEAR : layerField(layer, ACTIVATION);
}

/** Forward pass for the row in inputRow; returns the logit. */
export function forwardRow(): f32 {
  sanitizeInputs(inputRow, layerField(0, INPUTS));
  let x = inputRow;
  const last = layerCount - 1;
  for (let l = 0; l <= last; l++) {
    const out = <usize>layerField(l, ROW_OUT);
    denseRow(x, layerField(l, INPUTS), <usize>layerField(l, WEIGHTS), layerField(l, STRIDE), <usize>layerField(l, BIAS), out, hiddenActivation(l));
    x = out;
  }
  return load<f32>(x);
}

/** Forward pass for the first `rows` rows of batchInput; logits end in column 0 of the last layer's BATCH_OUT. */
export function forwardBatch(rows: i32): void {
  sanitizeInputs(batchInput, rows * layerField(0, INPUTS));
  let x = batchInput;
  for (let l = 0; l < layerCount; l++) {
    const out = <usize>layerField(l, BATCH_OUT);
    denseBatch(
      x, rows, layerField(l, INPUTS), layerField(l, INPUT_STRIDE),
      <usize>layerField(l, WEIGHTS), layerField(l, STRIDE), <usize>layerField(l, BIAS), out, hiddenActivation(l),
    );
    x = out;
  }
}

/**
 * Backward pass for `rows` rows whose output deltas are already in the last layer's BATCH_DELTA:
 * adds every parameter's gradient into the gradient block.
 */
export function backwardBatch(rows: i32): void {
  const gradientShift = gradient - parameters;
  for (let l = layerCount - 1; l >= 0; l--) {
    const delta = <usize>layerField(l, BATCH_DELTA);
    const stride = layerField(l, STRIDE);
    const inputs = layerField(l, INPUTS);
    const weights = <usize>layerField(l, WEIGHTS);
    const input = l == 0 ? batchInput : <usize>layerField(l - 1, BATCH_OUT);
    accumulateLayerGradient(input, layerField(l, INPUT_STRIDE), inputs, delta, stride, rows, weights + gradientShift, <usize>layerField(l, BIAS) + gradientShift);
    if (l > 0) {
      propagateDelta(delta, stride, rows, weights, inputs, input, layerField(l - 1, STRIDE), layerField(l - 1, ACTIVATION), <usize>layerField(l - 1, BATCH_DELTA));
    }
  }
}

/** d logit / d input for the row in inputRow, written to inputDelta; returns the logit. */
export function inputGradientRow(): f32 {
  const logit = forwardRow();
  const last = layerCount - 1;
  store<f32>(<usize>layerField(last, ROW_DELTA), 1.0);
  for (let l = last; l >= 0; l--) {
    const delta = <usize>layerField(l, ROW_DELTA);
    const stride = layerField(l, STRIDE);
    const weights = <usize>layerField(l, WEIGHTS);
    const inputs = layerField(l, INPUTS);
    if (l > 0) {
      propagateDelta(delta, stride, 1, weights, inputs, <usize>layerField(l - 1, ROW_OUT), layerField(l - 1, STRIDE), layerField(l - 1, ACTIVATION), <usize>layerField(l - 1, ROW_DELTA));
    } else {
      propagateDelta(delta, stride, 1, weights, inputs, inputRow, inputs, LINEAR, inputDelta);
    }
  }
  return logit;
}
