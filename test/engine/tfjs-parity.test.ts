import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine, NetworkShape } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, ODD_MLP, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

/** The same network written with TensorFlow.js ops on its CPU backend, from the same flat parameters. */
function tfjsPredict(shape: NetworkShape, parameters: Float32Array, matrix: Float32Array, rows: number): Float32Array {
  return tf.tidy(() => {
    let activations: tf.Tensor2D = tf.tensor2d(matrix.subarray(0, rows * shape.inputs), [rows, shape.inputs]);
    let inputs = shape.inputs;
    let offset = 0;
    for (const layer of shape.layers) {
      const weights = tf.tensor2d(parameters.subarray(offset, offset + inputs * layer.units), [inputs, layer.units]);
      offset += inputs * layer.units;
      const bias = tf.tensor1d(parameters.subarray(offset, offset + layer.units));
      offset += layer.units;
      const z = tf.add(tf.matMul(activations, weights), bias);
      const apply: Record<string, (t: tf.Tensor) => tf.Tensor> = { relu: tf.relu, tanh: tf.tanh, sigmoid: tf.sigmoid, linear: (t) => t };
      activations = apply[layer.activation]!(z) as tf.Tensor2D;
      inputs = layer.units;
    }
    return activations.dataSync() as Float32Array;
  });
}

describe('forward pass matches TensorFlow.js (cpu backend) on 1,000 rows', () => {
  beforeAll(async () => {
    // tfjs's own flag for running under a test: among other things, it keeps the CPU backend
    // from printing its "Hi, looks like you are running TensorFlow.js in Node.js" advice into
    // the test output on its first tensor.
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it('creates its first tensor without printing tfjs advice into the test output', () => {
    const printed = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    tf.tensor1d([1, 2, 3]).dispose();
    for (const spy of printed) {
      expect(spy.mock.calls.flat().join(' ')).not.toMatch(/TensorFlow\.js in Node\.js/);
      spy.mockRestore();
    }
  });

  for (const [kernelName, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as [string, () => Engine][]) {
    for (const [shapeName, shape] of [['LR 32→1', LOGISTIC_REGRESSION], ['MLP 32→64→32→1', MLP_32_64_32], ['odd sizes with tanh and sigmoid', ODD_MLP]] as const) {
      it(`${kernelName} kernel, ${shapeName}: max |difference| < 1e-5 for batch and single-row prediction`, () => {
        const parameters = randomParameters(shape, 21);
        const { matrix } = randomBatch(shape.inputs, 1000, 22);
        const expected = tfjsPredict(shape, parameters, matrix, 1000);
        const network = makeEngine().createNetwork(shape);
        network.setParameters(parameters);
        const batch = network.predictBatch(matrix, 1000);
        let worst = 0;
        for (let r = 0; r < 1000; r++) {
          network.input.set(matrix.subarray(r * shape.inputs, (r + 1) * shape.inputs));
          worst = Math.max(worst, Math.abs(batch[r]! - expected[r]!), Math.abs(network.predictInput() - expected[r]!));
        }
        expect(worst).toBeLessThan(1e-5);
        // The probabilities vary by far more than the tolerance, so agreement is not agreement on a constant.
        expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(100 * 1e-5);
      });
    }
  }
});
