import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import type { NetworkShape, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, ODD_LOGISTIC_REGRESSION, ODD_MLP, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0.001, batchSize: 50 };

describe('the SIMD and scalar builds of the kernel agree', () => {
  const simd = simdEngine();
  const scalar = scalarEngine();

  for (const [name, shape] of [['LR 32→1', LOGISTIC_REGRESSION], ['MLP 32→64→32→1', MLP_32_64_32], ['odd sizes, every activation', ODD_MLP], ['LR 7→1', ODD_LOGISTIC_REGRESSION]] as [string, NetworkShape][]) {
    it(`${name}: single-row, batch and five training steps within 1e-6`, () => {
      const parameters = randomParameters(shape, 31);
      const batch = randomBatch(shape.inputs, 250, 32);
      const a = trainable(simd.createNetwork(shape, { maxBatch: 50 }));
      const b = trainable(scalar.createNetwork(shape, { maxBatch: 50 }));
      expect([a.engine, b.engine]).toEqual(['wasm-simd', 'wasm-scalar']);
      for (const n of [a, b]) { n.setParameters(parameters); n.configureTraining(ADAM); }

      expect(maxAbsDifference(a.predictBatch(batch.matrix, batch.rows), b.predictBatch(batch.matrix, batch.rows))).toBeLessThan(1e-6);
      for (let r = 0; r < 20; r++) {
        const row = batch.matrix.subarray(r * shape.inputs, (r + 1) * shape.inputs);
        a.input.set(row);
        b.input.set(row);
        expect(Math.abs(a.predictInput() - b.predictInput())).toBeLessThan(1e-6);
      }
      for (let step = 0; step < 5; step++) {
        const rows = (from: Float32Array, width: number) => from.subarray(step * 50 * width, (step + 1) * 50 * width);
        const lossA = a.trainBatch(rows(batch.matrix, shape.inputs), rows(batch.labels, 1), rows(batch.weights, 1), 50);
        const lossB = b.trainBatch(rows(batch.matrix, shape.inputs), rows(batch.labels, 1), rows(batch.weights, 1), 50);
        expect(Math.abs(lossA - lossB)).toBeLessThan(1e-6);
      }
      const trained = a.getParameters();
      expect(maxAbsDifference(trained, b.getParameters())).toBeLessThan(1e-6);
      // The steps really moved the weights, so agreement is not agreement on untouched parameters.
      expect(maxAbsDifference(trained, parameters)).toBeGreaterThan(1e-3);
    });
  }
});
