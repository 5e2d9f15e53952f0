// Whole-network passes over the layer table: forward for one row or a batch, and
// backward for a batch (or for one row, to get d logit / d input). The output layer is
// computed as a linear logit; its sigmoid is applied by the caller or inside the loss.
import { LINEAR, activateScalar } from './activations';
import { accumulateLayerGradient, accumulateUnitGradient, propagateDelta, propagateUnitDelta } from './backward';
import { denseBatch } from './dense-batch';
import { dotBatch, dotRow } from './dense-dot';
import { denseRow } from './dense-row';
import { sanitizeInputs } from './sanitize-input';
import { layerCount, inputRow, inputDelta, batchInput, gradient, parameters } from './arena';
import {
  INPUTS, UNITS, STRIDE, ACTIVATION, INPUT_STRIDE, WEIGHTS, BIAS, ROW_OUT, ROW_DELTA, BATCH_OUT, BATCH_DELTA, layerField,
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
  for (let l = 0; l < last; l++) {
    const out = <usize>layerField(l, ROW_OUT);
    if (layerField(l, UNITS) == 1) {
      store<f32>(out, activateScalar(dotRow(x, layerField(l, INPUTS), <usize>layerField(l, WEIGHTS), load<f32>(<usize>layerField(l, BIAS))), layerField(l, ACTIVATION)));
    } else {
      denseRow(x, layerField(l, INPUTS), <usize>layerField(l, WEIGHTS), layerField(l, STRIDE), <usize>layerField(l, BIAS), out, layerField(l, ACTIVATION));
    }
    x = out;
  }
  // The output layer is always the single unit: its logit is a dot product.
  const logit = dotRow(x, layerField(last, INPUTS), <usize>layerField(last, WEIGHTS), load<f32>(<usize>layerField(last, BIAS)));
  store<f32>(<usize>layerField(last, ROW_OUT), logit);
  return logit;
}

/** Forward pass for the first `rows` rows of batchInput; logits end in column 0 of the last layer's BATCH_OUT. */
export function forwardBatch(rows: i32): void {
  sanitizeInputs(batchInput, rows * layerField(0, INPUTS));
  let x = batchInput;
  for (let l = 0; l < layerCount; l++) {
    const out = <usize>layerField(l, BATCH_OUT);
    if (layerField(l, UNITS) == 1) {
      const stride = layerField(l, STRIDE);
      dotBatch(x, rows, layerField(l, INPUTS), layerField(l, INPUT_STRIDE), <usize>layerField(l, WEIGHTS), load<f32>(<usize>layerField(l, BIAS)), out, stride);
      const activation = hiddenActivation(l);
      if (activation != LINEAR) {
        for (let r = 0; r < rows; r++) {
          const at = out + ((<usize>r * stride) << 2);
          store<f32>(at, activateScalar(load<f32>(at), activation));
        }
      }
    } else {
      denseBatch(
        x, rows, layerField(l, INPUTS), layerField(l, INPUT_STRIDE),
        <usize>layerField(l, WEIGHTS), layerField(l, STRIDE), <usize>layerField(l, BIAS), out, hiddenActivation(l),
      );
    }
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
    const single = layerField(l, UNITS) == 1;
    const gradientWeights = weights + gradientShift;
    const gradientBias = <usize>layerField(l, BIAS) + gradientShift;
    if (single) {
      accumulateUnitGradient(input, layerField(l, INPUT_STRIDE), inputs, delta, stride, rows, gradientWeights, gradientBias);
    } else {
      accumulateLayerGradient(input, layerField(l, INPUT_STRIDE), inputs, delta, stride, rows, gradientWeights, gradientBias);
    }
    if (l > 0) {
      propagate(single, delta, stride, rows, weights, inputs, input, layerField(l - 1, STRIDE), layerField(l - 1, ACTIVATION), <usize>layerField(l - 1, BATCH_DELTA));
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
    const single = layerField(l, UNITS) == 1;
    if (l > 0) {
      propagate(single, delta, stride, 1, weights, inputs, <usize>layerField(l - 1, ROW_OUT), layerField(l - 1, STRIDE), layerField(l - 1, ACTIVATION), <usize>layerField(l - 1, ROW_DELTA));
    } else {
      propagate(single, delta, stride, 1, weights, inputs, inputRow, inputs, LINEAR, inputDelta);
    }
  }
  return logit;
}

// @ts-ignore: decorator
@inline
function propagate(
  single: bool, delta: usize, stride: i32, rows: i32, weights: usize, inputs: i32,
  previousOut: usize, previousStride: i32, previousActivation: i32, previousDelta: usize,
): void {
  if (single) {
    propagateUnitDelta(delta, stride, rows, weights, inputs, previousOut, previousStride, previousActivation, previousDelta);
  } else {
    propagateDelta(delta, stride, rows, weights, inputs, previousOut, previousStride, previousActivation, previousDelta);
  }
}
