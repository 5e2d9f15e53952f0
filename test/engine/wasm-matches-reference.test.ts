import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Engine, NetworkShape, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, ODD_LOGISTIC_REGRESSION, ODD_MLP, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** |a - b| relative to the largest gradient component: the scale a gradient check cares about. */
function maxRelativeToLargest(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < b.length; i++) largest = Math.max(largest, Math.abs(b[i]!));
  return maxAbsDifference(a, b) / largest;
}

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0.001, batchSize: 64 };
const SGD: TrainingConfig = { ...ADAM, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9 };
const SHAPES: [string, NetworkShape][] = [['LR 32→1', LOGISTIC_REGRESSION], ['MLP 32→64→32→1', MLP_32_64_32], ['odd sizes, every activation', ODD_MLP], ['LR 7→1', ODD_LOGISTIC_REGRESSION]];

describe('WebAssembly kernels agree with the TypeScript reference', () => {
  const reference = createJsEngine();
  const kernels: [string, () => Engine][] = [['SIMD', simdEngine], ['scalar', scalarEngine]];

  for (const [kernelName, makeEngine] of kernels) {
    for (const [shapeName, shape] of SHAPES) {
      describe(`${kernelName} kernel, ${shapeName}`, () => {
        const engine = makeEngine();
        const parameters = randomParameters(shape, 5);
        const batch = randomBatch(shape.inputs, 300, 9);

        it('round-trips parameters through its padded layout', () => {
          const network = engine.createNetwork(shape);
          network.setParameters(parameters);
          expect(network.getParameters()).toEqual(parameters);
          expect(network.parameterCount).toBe(parameters.length);
        });

        it('predicts rows and batches like the reference (< 1e-6), through every entry point', () => {
          const network = engine.createNetwork(shape, { maxBatch: 64 });
          const expected = reference.createNetwork(shape);
          network.setParameters(parameters);
          expected.setParameters(parameters);
          const want = expected.predictBatch(batch.matrix, batch.rows);
          // 300 rows with capacity 512: one chunk; then 64-row chunks through predictBatchInput.
          expect(maxAbsDifference(network.predictBatch(batch.matrix, batch.rows), want)).toBeLessThan(1e-6);
          network.batchInput.set(batch.matrix.subarray(0, 5 * shape.inputs));
          expect(maxAbsDifference(network.predictBatchInput(5), want.subarray(0, 5))).toBeLessThan(1e-6);
          const single = new Float32Array(batch.rows);
          for (let r = 0; r < batch.rows; r++) {
            network.input.set(batch.matrix.subarray(r * shape.inputs, (r + 1) * shape.inputs));
            single[r] = network.predictInput();
          }
          expect(maxAbsDifference(single, want)).toBeLessThan(1e-6);
          const row = Array.from(batch.matrix.subarray(0, shape.inputs));
          expect(Math.abs(network.predictRow(row) - want[0]!)).toBeLessThan(1e-6);
        });

        it('computes the loss and its gradient like the reference', () => {
          const network = trainable(engine.createNetwork(shape));
          const expected = trainable(reference.createNetwork(shape));
          for (const n of [network, expected]) { n.setParameters(parameters); n.configureTraining(ADAM); }
          const gradient = new Float32Array(parameters.length);
          const expectedGradient = new Float32Array(parameters.length);
          const loss = network.lossAndGradient(batch.matrix, batch.labels, batch.weights, batch.rows, gradient);
          const expectedLoss = expected.lossAndGradient(batch.matrix, batch.labels, batch.weights, batch.rows, expectedGradient);
          expect(Math.abs(loss - expectedLoss) / expectedLoss).toBeLessThan(1e-5);
          expect(maxRelativeToLargest(gradient, expectedGradient)).toBeLessThan(1e-4);
        });

        it('computes d logit / d input like the reference', () => {
          const network = engine.createNetwork(shape);
          const expected = reference.createNetwork(shape);
          network.setParameters(parameters);
          expected.setParameters(parameters);
          const row = Array.from(batch.matrix.subarray(shape.inputs, 2 * shape.inputs));
          const gradient = new Float32Array(shape.inputs);
          const expectedGradient = new Float32Array(shape.inputs);
          const logit = network.inputGradient(row, gradient);
          expect(Math.abs(logit - expected.inputGradient(row, expectedGradient))).toBeLessThan(1e-5);
          expect(maxRelativeToLargest(gradient, expectedGradient)).toBeLessThan(1e-4);
        });

        for (const config of [ADAM, SGD]) {
          it(`trains with ${config.optimizer} like the reference over 10 mini-batches`, () => {
            const network = trainable(engine.createNetwork(shape, { maxBatch: 64 }));
            const expected = trainable(reference.createNetwork(shape));
            for (const n of [network, expected]) { n.setParameters(parameters); n.configureTraining(config); }
            for (let step = 0; step < 10; step++) {
              const start = (step * 30) % 240;
              const slice = (a: Float32Array, width: number) => a.subarray(start * width, (start + 60) * width);
              const loss = network.trainBatch(slice(batch.matrix, shape.inputs), slice(batch.labels, 1), slice(batch.weights, 1), 60);
              const expectedLoss = expected.trainBatch(slice(batch.matrix, shape.inputs), slice(batch.labels, 1), slice(batch.weights, 1), 60);
              expect(Math.abs(loss - expectedLoss) / expectedLoss).toBeLessThan(1e-4);
            }
            expect(maxAbsDifference(network.getParameters(), expected.getParameters())).toBeLessThan(1e-4);
          });
        }
      });
    }
  }
});
