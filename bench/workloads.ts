/**
 * The two networks every backend is measured on, their seeded float32 weights, the input
 * rows, and the float64 reference forward pass the parity check compares everyone to.
 */
import { parameterCount } from '../src/engine/network-shape.js';
import type { NetworkShape } from '../src/engine/types.js';
import { createRandom } from '../src/train/random.js';

/** A benchmarked network: its shape and one flat parameter vector in churnkit's layout. */
export interface Workload {
  readonly id: 'lr' | 'mlp';
  readonly title: string;
  readonly shape: NetworkShape;
  /** Per layer: `W` input-major (`W[i * units + j]`), then the bias — the model file's layout. */
  readonly parameters: Float32Array;
}

export const LR_SHAPE: NetworkShape = { inputs: 32, layers: [{ units: 1, activation: 'sigmoid' }] };

export const MLP_SHAPE: NetworkShape = {
  inputs: 32,
  layers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
};

/** The trainer's seeded generator, so weights and rows are the same in every run. */
export function seededRandom(seed: number): () => number {
  return createRandom(seed).next;
}

/** Glorot-uniform weights and small biases, so hidden units are neither dead nor saturated. */
export function seededParameters(shape: NetworkShape, seed: number): Float32Array {
  const random = seededRandom(seed);
  const parameters = new Float32Array(parameterCount(shape));
  let offset = 0;
  let fanIn = shape.inputs;
  for (const layer of shape.layers) {
    const limit = Math.sqrt(6 / (fanIn + layer.units));
    for (let k = 0; k < fanIn * layer.units; k++) parameters[offset++] = (random() * 2 - 1) * limit;
    for (let k = 0; k < layer.units; k++) parameters[offset++] = (random() * 2 - 1) * 0.1;
    fanIn = layer.units;
  }
  return parameters;
}

/** `count` rows of `inputs` standard-ish features (what a standardized encoder produces). */
export function seededRows(count: number, inputs: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const rows = new Float32Array(count * inputs);
  for (let k = 0; k < rows.length; k++) rows[k] = (random() * 2 - 1) * 1.7;
  return rows;
}

export function benchWorkloads(): Workload[] {
  return [
    { id: 'lr', title: 'LR 32→1', shape: LR_SHAPE, parameters: seededParameters(LR_SHAPE, 1) },
    { id: 'mlp', title: 'MLP 32→64→32→1', shape: MLP_SHAPE, parameters: seededParameters(MLP_SHAPE, 2) },
  ];
}

/** Splits the flat parameter vector into per-layer `{ weights, bias }` views (no copy). */
export function layerParameters(shape: NetworkShape, parameters: Float32Array): { weights: Float32Array; bias: Float32Array; fanIn: number; units: number }[] {
  const layers = [];
  let offset = 0;
  let fanIn = shape.inputs;
  for (const layer of shape.layers) {
    const weights = parameters.subarray(offset, offset + fanIn * layer.units);
    offset += fanIn * layer.units;
    const bias = parameters.subarray(offset, offset + layer.units);
    offset += layer.units;
    layers.push({ weights, bias, fanIn, units: layer.units });
    fanIn = layer.units;
  }
  return layers;
}

/** Float64 forward pass over the float32 weights: the truth every backend must match within 1e-5. */
export function referenceProbability(shape: NetworkShape, parameters: Float32Array, row: ArrayLike<number>): number {
  let activations = Float64Array.from(row);
  const layers = layerParameters(shape, parameters);
  layers.forEach(({ weights, bias, fanIn, units }, index) => {
    const next = new Float64Array(units);
    for (let j = 0; j < units; j++) {
      let sum = bias[j]!;
      for (let i = 0; i < fanIn; i++) sum += activations[i]! * weights[i * units + j]!;
      next[j] = activate(shape.layers[index]!.activation, sum);
    }
    activations = next;
  });
  return activations[0]!;
}

function activate(activation: NetworkShape['layers'][number]['activation'], z: number): number {
  switch (activation) {
    case 'relu': return z > 0 ? z : 0;
    case 'tanh': return Math.tanh(z);
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
    case 'linear': return z;
  }
}
