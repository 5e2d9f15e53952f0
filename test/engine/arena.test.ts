import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import type { TrainingConfig } from '../../src/engine/types.js';
import { MLP_32_64_32, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 1e-4, batchSize: 700 };

describe("each network's memory is planned once", () => {
  for (const [name, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as const) {
    it(`${name}: predicting and training never grow memory, so the zero-copy views stay attached`, () => {
      const network = trainable(makeEngine().createNetwork(MLP_32_64_32, { maxBatch: 600 }));
      const buffer = network.input.buffer;
      const bytes = buffer.byteLength;
      network.setParameters(randomParameters(MLP_32_64_32, 1));
      network.configureTraining(ADAM);
      // 700 rows > capacity 600: exercises the chunked paths too.
      const data = randomBatch(32, 700, 2);
      network.predictBatch(data.matrix, 700);
      network.trainBatch(data.matrix, data.labels, data.weights, 700);
      network.inputGradient(Array.from(data.matrix.subarray(0, 32)), new Float32Array(32));
      for (let r = 0; r < 100; r++) {
        network.input.set(data.matrix.subarray(r * 32, (r + 1) * 32));
        network.predictInput();
      }
      // A grow would have detached the old buffer (byteLength 0) and replaced the views' buffer.
      expect(buffer.byteLength).toBe(bytes);
      expect(network.input.buffer).toBe(buffer);
      expect(network.batchInput.buffer).toBe(buffer);
      expect(network.batchCapacity).toBe(600);
    });

    it(`${name}: networks are independent instances, so one's parameters never leak into another's`, () => {
      const engine = makeEngine();
      const first = engine.createNetwork(MLP_32_64_32);
      const second = engine.createNetwork(MLP_32_64_32);
      first.setParameters(randomParameters(MLP_32_64_32, 3));
      second.setParameters(randomParameters(MLP_32_64_32, 4));
      expect(first.getParameters()).toEqual(randomParameters(MLP_32_64_32, 3));
      expect(first.input.buffer).not.toBe(second.input.buffer);
    });
  }
});
