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
    load: async (shape, parameters) => plainJsNetwork(shape, parameters),
  };
}

function plainJsNetwork(shape: NetworkShape, parameters: Float32Array): LoadedNetwork {
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

  function predictOne(row: Float32Array): number {
    let input: ArrayLike<number> = row;
    for (let l = 0; l < last; l++) {
      const { weights, bias, fanIn, units, relu, output } = layers[l]!;
      for (let j = 0; j < units; j++) output[j] = bias[j]!;
      for (let i = 0; i < fanIn; i++) {
        const x = input[i]!;
        const base = i * units;
        for (let j = 0; j < units; j++) output[j] += x * weights[base + j]!;
      }
      if (relu) for (let j = 0; j < units; j++) if (output[j]! < 0) output[j] = 0;
      input = output;
    }
    const { weights, bias, fanIn } = layers[last]!;
    let z = bias[0]!;
    for (let i = 0; i < fanIn; i++) z += input[i]! * weights[i]!;
    return 1 / (1 + Math.exp(-z));
  }

  return {
    mode: 'sync',
    predictOne,
    predictBatch(matrix, rows) {
      const out = new Float32Array(rows);
      for (let r = 0; r < rows; r++) out[r] = predictOne(matrix.subarray(r * shape.inputs, (r + 1) * shape.inputs));
      return out;
    },
    dispose() {},
  };
}
