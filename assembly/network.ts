// Whole-network passes over the layer table: forward for one row or a batch, and
// backward for a batch (or for one row, to get d logit / d input). The output layer is
// computed as a linear logit; its sigmoid is applied by the caller, inside the loss, or
// (for batch predictions) fused with the output unit's dot product.
import { LINEAR, activateScalar } from './activations';
import { accumulateLayerGradient, accumulateUnitGradient, propagateDelta, propagateUnitDelta } from './backward';
import { denseBatch } from './dense-batch';
import { dotBatch, dotRow, probabilityBatch } from './dense-dot';
import { denseRow } from './dense-row';
import { sanitizeInputs } from './sanitize-input';
import { layerCount, inputRow, inputDelta, batchInput, batchOutput, gradient, parameters } from './arena';
import {
  INPUTS, UNITS, STRIDE, ACTIVATION, INPUT_STRIDE, WEIGHTS, BIAS, ROW_OUT, ROW_DELTA, BATCH_OUT, BATCH_DELTA, layerField,
} from './layers';

/** Forward pass for the row in inputRow; returns the logit. */
export function forwardRow(): f32 {
  const last = layerCount - 1;
  if (last == 0) {
    // Logistic regression reads each input once: it sanitises them inside the dot product.
    const logit = dotRow(inputRow, layerField(0, INPUTS), <usize>layerField(0, WEIGHTS), load<f32>(<usize>layerField(0, BIAS)), true);
    store<f32>(<usize>layerField(0, ROW_OUT), logit);
    return logit;
  }
  sanitizeInputs(inputRow, layerField(0, INPUTS));
  let x = inputRow;
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

/**
 * Sanitises the first `rows` rows of batchInput in place and runs every layer but the output
 * unit over them; returns where the output unit's input rows start (INPUT_STRIDE floats apart).
 */
function forwardHiddenBatch(rows: i32): usize {
  sanitizeInputs(batchInput, rows * layerField(0, INPUTS));
  let x = batchInput;
  for (let l = 0; l < layerCount - 1; l++) {
    const out = <usize>layerField(l, BATCH_OUT);
    const activation = layerField(l, ACTIVATION);
    if (layerField(l, UNITS) == 1) {
      const stride = layerField(l, STRIDE);
      dotBatch(x, rows, layerField(l, INPUTS), layerField(l, INPUT_STRIDE), <usize>layerField(l, WEIGHTS), load<f32>(<usize>layerField(l, BIAS)), out, stride);
      for (let r = 0; r < rows; r++) {
        const at = out + ((<usize>r * stride) << 2);
        store<f32>(at, activateScalar(load<f32>(at), activation));
      }
    } else {
      denseBatch(
        x, rows, layerField(l, INPUTS), layerField(l, INPUT_STRIDE),
        <usize>layerField(l, WEIGHTS), layerField(l, STRIDE), <usize>layerField(l, BIAS), out, activation,
      );
    }
    x = out;
  }
  return x;
}

/** Forward pass for training over the first `rows` rows of batchInput; logits end in column 0 of the last layer's BATCH_OUT. */
export function forwardBatch(rows: i32): void {
  const x = forwardHiddenBatch(rows);
  const last = layerCount - 1;
  dotBatch(
    x, rows, layerField(last, INPUTS), layerField(last, INPUT_STRIDE), <usize>layerField(last, WEIGHTS),
    load<f32>(<usize>layerField(last, BIAS)), <usize>layerField(last, BATCH_OUT), layerField(last, STRIDE),
  );
}

/** Probabilities for the first `rows` rows of batchInput, written contiguously to batchOutput. */
export function predictBatchRows(rows: i32): void {
  const last = layerCount - 1;
  const inputs = layerField(last, INPUTS);
  const inputStride = layerField(last, INPUT_STRIDE);
  const weights = <usize>layerField(last, WEIGHTS);
  const bias = load<f32>(<usize>layerField(last, BIAS));
  if (last == 0) {
    // Logistic regression reads each input once: it sanitises them inside the dot product.
    probabilityBatch(batchInput, rows, inputs, inputStride, weights, bias, batchOutput, true);
  } else {
    probabilityBatch(forwardHiddenBatch(rows), rows, inputs, inputStride, weights, bias, batchOutput, false);
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
