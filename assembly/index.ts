// The kernel's exported ABI, designed for the fewest, cheapest calls: JavaScript writes
// floats straight into the buffers whose pointers are exported here, then calls one
// function. Nothing on these paths validates bounds again: shapes and sizes were
// checked once in TypeScript (src/engine/network-shape.ts) before plan() ran.
// One kernel instance serves one network, so the configuration lives in globals.
import { sigmoidScalar } from './activations';
import { adamStep } from './adam';
import {
  planArena, layerCount, parameterFloats, parameters, gradient, firstMoment, secondMoment,
  inputRow, inputDelta, batchInput, labels, sampleWeights, batchOutput,
} from './arena';
import { addL2 as addL2Penalty } from './l2';
import { INPUTS, UNITS, ACTIVATION, STRIDE, WEIGHT_STRIDE, WEIGHTS, BIAS, BATCH_OUT, BATCH_DELTA, layerField, setLayerField } from './layers';
import { outputDeltas } from './loss';
import { forwardRow, forwardBatch, backwardBatch, inputGradientRow, predictBatchRows } from './network';
import { sgdStep } from './sgd';

const OPTIMIZER_SGD: i32 = 0;

let optimizer: i32 = 1;
let learningRate: f32 = 0.001;
let momentum: f32 = 0.9;
let beta1: f32 = 0.9;
let beta2: f32 = 0.999;
let epsilon: f32 = 1e-7;
let l2: f32 = 0;
let adamSteps: i32 = 0;

export function setLayer(index: i32, inputs: i32, units: i32, activation: i32): void {
  setLayerField(index, INPUTS, inputs);
  setLayerField(index, UNITS, units);
  setLayerField(index, ACTIVATION, activation);
}

export function plan(count: i32, capacity: i32): i32 {
  return planArena(count, capacity);
}

export function parametersPointer(): usize { return parameters; }
export function gradientPointer(): usize { return gradient; }
export function layerWeightsPointer(layer: i32): usize { return <usize>layerField(layer, WEIGHTS); }
export function layerBiasPointer(layer: i32): usize { return <usize>layerField(layer, BIAS); }
export function layerWeightStride(layer: i32): i32 { return layerField(layer, WEIGHT_STRIDE); }
export function inputPointer(): usize { return inputRow; }
export function inputGradientPointer(): usize { return inputDelta; }
export function batchInputPointer(): usize { return batchInput; }
export function labelsPointer(): usize { return labels; }
export function sampleWeightsPointer(): usize { return sampleWeights; }
export function outputPointer(): usize { return batchOutput; }

/** Probability for the row in the input slot. */
export function predict(): f32 {
  return sigmoidScalar(forwardRow());
}

/** Logit for the row in the input slot. */
export function logit(): f32 {
  return forwardRow();
}

/** Probabilities for the first `rows` rows of the batch input, written to the output buffer. */
export function predictBatch(rows: i32): void {
  predictBatchRows(rows);
}

/** d logit / d input for the row in the input slot (written to the input-gradient buffer); returns the logit. */
export function inputGradient(): f32 {
  return inputGradientRow();
}

export function configureTraining(optimizerCode: i32, rate: f32, momentumValue: f32, beta1Value: f32, beta2Value: f32, epsilonValue: f32, l2Value: f32): void {
  optimizer = optimizerCode;
  learningRate = rate;
  momentum = momentumValue;
  beta1 = beta1Value;
  beta2 = beta2Value;
  epsilon = epsilonValue;
  l2 = l2Value;
  adamSteps = 0;
  memory.fill(firstMoment, 0, <usize>parameterFloats << 2);
  memory.fill(secondMoment, 0, <usize>parameterFloats << 2);
}

export function setLearningRate(rate: f32): void {
  learningRate = rate;
}

export function zeroGradient(): void {
  memory.fill(gradient, 0, <usize>parameterFloats << 2);
}

/**
 * Forward and backward over the first `rows` rows of the batch buffers, adding to the gradient
 * with each row's contribution multiplied by `scale` (1 / rows of the whole mini-batch, which
 * JavaScript may feed in several chunks). Returns the chunk's sum of weighted losses.
 */
export function accumulateGradient(rows: i32, scale: f32): f64 {
  forwardBatch(rows);
  const last = layerCount - 1;
  const lossSum = outputDeltas(
    <usize>layerField(last, BATCH_OUT), layerField(last, STRIDE), rows, labels, sampleWeights, scale, <usize>layerField(last, BATCH_DELTA),
  );
  backwardBatch(rows);
  return lossSum;
}

/** Adds the L2 term's gradient; returns the penalty (0 when l2 is 0). */
export function addL2(): f64 {
  return l2 > 0 ? addL2Penalty(l2, gradient - parameters) : 0;
}

/** One optimizer step with the gradient block as it stands. */
export function step(): void {
  if (optimizer == OPTIMIZER_SGD) {
    sgdStep(parameters, gradient, firstMoment, parameterFloats, learningRate, momentum);
  } else {
    adamSteps++;
    adamStep(parameters, gradient, firstMoment, secondMoment, parameterFloats, learningRate, beta1, beta2, epsilon, adamSteps);
  }
}
