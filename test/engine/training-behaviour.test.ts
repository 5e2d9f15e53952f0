import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Engine, NetworkShape, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 1e-4, batchSize: 64 };
const SGD: TrainingConfig = { ...ADAM, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9 };

const engines: [string, () => Engine][] = [['TypeScript', createJsEngine], ['SIMD', simdEngine], ['scalar', scalarEngine]];

function train(engine: Engine, shape: NetworkShape, config: TrainingConfig, epochs: number): { losses: number[]; parameters: Float32Array } {
  const network = trainable(engine.createNetwork(shape, { maxBatch: 64 }));
  network.setParameters(randomParameters(shape, 41));
  network.configureTraining(config);
  const data = randomBatch(shape.inputs, 640, 42);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let sum = 0;
    for (let start = 0; start < data.rows; start += 64) {
      const slice = (from: Float32Array, width: number) => from.subarray(start * width, (start + 64) * width);
      sum += network.trainBatch(slice(data.matrix, shape.inputs), slice(data.labels, 1), slice(data.weights, 1), 64);
    }
    losses.push(sum / 10);
  }
  return { losses, parameters: network.getParameters() };
}

describe('training and prediction behave on every engine (TypeScript, SIMD, scalar)', () => {
  for (const [engineName, makeEngine] of engines) {
    describe(`${engineName} engine`, () => {
      for (const [shapeName, shape] of [['LR', LOGISTIC_REGRESSION], ['MLP', MLP_32_64_32]] as const) {
        for (const config of [ADAM, SGD]) {
          it(`${shapeName} with ${config.optimizer}: the loss decreases, and the same seed gives identical weights`, () => {
            const first = train(makeEngine(), shape, config, 5);
            const second = train(makeEngine(), shape, config, 5);
            expect(first.losses[4]!).toBeLessThan(first.losses[0]! * 0.8);
            expect(second.parameters).toEqual(first.parameters);
          });
        }
      }

      it('gives probabilities in [0, 1], never NaN, for logits of magnitude ~1e4 and huge finite inputs', () => {
        const shape = MLP_32_64_32;
        const network = makeEngine().createNetwork(shape);
        network.setParameters(randomParameters(shape, 43));
        const rows = 6;
        const matrix = new Float32Array(rows * shape.inputs);
        const scales = [1e2, -1e2, 1e4, -1e4, 3e38, -3e38];
        scales.forEach((scale, r) => { for (let i = 0; i < shape.inputs; i++) matrix[r * shape.inputs + i] = scale * (i % 2 === 0 ? 1 : 0.5); });
        const batch = network.predictBatch(matrix, rows);
        for (let r = 0; r < rows; r++) {
          network.input.set(matrix.subarray(r * shape.inputs, (r + 1) * shape.inputs));
          for (const p of [batch[r]!, network.predictInput()]) {
            expect(Number.isNaN(p)).toBe(false);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
          }
        }
        // Saturation, not noise: at these scales the answer is exactly 0 or 1.
        expect(batch.some((p) => p === 0 || p === 1)).toBe(true);
      });

      it('keeps the loss finite for logits of ±1e4 and trains without producing NaN', () => {
        const shape = LOGISTIC_REGRESSION;
        const network = trainable(makeEngine().createNetwork(shape));
        const parameters = new Float32Array(shape.inputs + 1);
        parameters[0] = 1e4;
        network.setParameters(parameters);
        network.configureTraining(ADAM);
        const matrix = new Float32Array(2 * shape.inputs);
        matrix[0] = 1;
        matrix[shape.inputs] = -1;
        // Both rows confidently wrong: loss ≈ 1e4 each, gradient ±1.
        const loss = network.trainBatch(matrix, new Float32Array([0, 1]), new Float32Array([1, 1]), 2);
        expect(Number.isFinite(loss)).toBe(true);
        expect(loss).toBeGreaterThan(9e3);
        expect(network.getParameters().every(Number.isFinite)).toBe(true);
      });

      it('weights the loss by sample weight: doubling every weight doubles the data loss', () => {
        const shape = LOGISTIC_REGRESSION;
        const network = trainable(makeEngine().createNetwork(shape));
        network.setParameters(randomParameters(shape, 44));
        network.configureTraining({ ...ADAM, l2: 0 });
        const data = randomBatch(shape.inputs, 100, 45);
        const gradient = new Float32Array(network.parameterCount);
        const once = network.lossAndGradient(data.matrix, data.labels, data.weights, 100, gradient);
        const twice = network.lossAndGradient(data.matrix, data.labels, data.weights.map((w) => 2 * w), 100, gradient);
        expect(twice / once).toBeCloseTo(2, 5);
      });
    });
  }
});
