/** Deterministic networks and data for the engine tests. */
import type { NetworkShape } from '../../src/engine/types.js';
import { createRandom } from '../../src/train/random.js';

/** The trainer's own seeded generator, so every run sees the same numbers. */
export function seededRandom(seed: number): () => number {
  return createRandom(seed).next;
}

export const LOGISTIC_REGRESSION: NetworkShape = { inputs: 32, layers: [{ units: 1, activation: 'sigmoid' }] };

export const MLP_32_64_32: NetworkShape = {
  inputs: 32,
  layers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
};

/** Logistic regression on a row length that is not a multiple of 4: the dot product's leftover inputs. */
export const ODD_LOGISTIC_REGRESSION: NetworkShape = { inputs: 7, layers: [{ units: 1, activation: 'sigmoid' }] };

/** Odd sizes (not multiples of 4 or 8), a hidden single-unit layer and every activation: the kernel's padding and tails. */
export const ODD_MLP: NetworkShape = {
  inputs: 7,
  layers: [
    { units: 13, activation: 'tanh' },
    { units: 5, activation: 'sigmoid' },
    { units: 1, activation: 'tanh' },
    { units: 9, activation: 'linear' },
    { units: 6, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
};

/** Glorot-uniform weights and small random biases, in the contract's flat layout. */
export function randomParameters(shape: NetworkShape, seed: number): Float32Array {
  const random = seededRandom(seed);
  const values: number[] = [];
  let inputs = shape.inputs;
  for (const layer of shape.layers) {
    const limit = Math.sqrt(6 / (inputs + layer.units));
    for (let k = 0; k < inputs * layer.units; k++) values.push((random() * 2 - 1) * limit);
    for (let j = 0; j < layer.units; j++) values.push((random() * 2 - 1) * 0.1);
    inputs = layer.units;
  }
  return Float32Array.from(values);
}

export interface Batch {
  matrix: Float32Array;
  labels: Float32Array;
  weights: Float32Array;
  rows: number;
}

/** Rows of standard-ish normal features; labels from a fixed linear rule with noise; class weights 1 and 3. */
export function randomBatch(inputs: number, rows: number, seed: number): Batch {
  const random = seededRandom(seed);
  const matrix = new Float32Array(rows * inputs);
  const labels = new Float32Array(rows);
  const weights = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let i = 0; i < inputs; i++) {
      const x = (random() + random() + random() - 1.5) * 2;
      matrix[r * inputs + i] = x;
      score += (i % 3 === 0 ? 1 : -0.5) * x;
    }
    labels[r] = score + (random() - 0.5) > 0 ? 1 : 0;
    weights[r] = labels[r] === 1 ? 3 : 1;
  }
  return { matrix, labels, weights, rows };
}
