/**
 * The honest baseline: the loops a developer would write by hand in plain JavaScript,
 * over Float32Array weights with float64 accumulation, no library at all.
 */
import type { NetworkShape } from '../../src/engine/types.js';
import { OptionsError } from '../../src/errors.js';
import { layerParameters } from '../workloads.js';
import type { Backend, LoadedNetwork } from './backend.js';

export function plainJsBackend(): Backend {
  return {
    id: 'plain-js',
    label: 'plain JS loops',
    codeSize: () => ({ wasmBytes: 0, nativeBytes: 0 }),
    activate: async () => {},
    load: async (shape, parameters, { maxBatch }) => plainJsNetwork(shape, parameters, maxBatch),
  };
}

function plainJsNetwork(shape: NetworkShape, parameters: Float32Array, maxBatch: number): LoadedNetwork {
  shape.layers.forEach((layer, index) => {
    const expected = index === shape.layers.length - 1 ? 'sigmoid' : 'relu or linear';
    if (!expected.split(' or ').includes(layer.activation)) {
      throw new OptionsError('BENCH_ACTIVATION', `plain-JS peer: layer ${index + 1} has activation "${layer.activation}", expected ${expected}`);
    }
  });
  const layers = layerParameters(shape, Float32Array.from(parameters)).map((layer, index) => ({
    ...layer,
    relu: shape.layers[index]!.activation === 'relu',
    output: new Float64Array(layer.units),
  }));
  const last = layers.length - 1;
  const probabilities = new Float32Array(maxBatch);

  /** The probability of the row starting at `offset` in `source`. */
  function predictAt(source: Float32Array, offset: number): number {
    let input: ArrayLike<number> = source;
    let inputOffset = offset;
    for (let l = 0; l < last; l++) {
      const { weights, bias, fanIn, units, relu, output } = layers[l]!;
      for (let j = 0; j < units; j++) output[j] = bias[j]!;
      for (let i = 0; i < fanIn; i++) {
        const x = input[inputOffset + i]!;
        const base = i * units;
        for (let j = 0; j < units; j++) output[j] += x * weights[base + j]!;
      }
      if (relu) for (let j = 0; j < units; j++) if (output[j]! < 0) output[j] = 0;
      input = output;
      inputOffset = 0;
    }
    const { weights, bias, fanIn } = layers[last]!;
    let z = bias[0]!;
    for (let i = 0; i < fanIn; i++) z += input[inputOffset + i]! * weights[i]!;
    return 1 / (1 + Math.exp(-z));
  }

  return {
    mode: 'sync',
    predictOne: (row) => predictAt(row, 0),
    predictBatch(matrix, rows) {
      if (rows > maxBatch) throw new OptionsError('BENCH_BATCH', `plain-JS peer: batch of ${rows} rows, expected at most maxBatch = ${maxBatch}`);
      const out = probabilities.subarray(0, rows);
      for (let r = 0; r < rows; r++) out[r] = predictAt(matrix, r * shape.inputs);
      return out;
    },
    dispose() {},
  };
}
