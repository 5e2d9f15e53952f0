import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { trainable } from '../../src/engine/trainable.js';
import type { Network } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, randomBatch, randomParameters } from './fixtures.js';
import { simdEngine } from './kernels.js';

describe('trainable: training attached to a network only when something trains it', () => {
  it('a kernel network made for scoring carries no training methods until trainable attaches them', () => {
    const network = simdEngine().createNetwork(LOGISTIC_REGRESSION);
    expect('trainBatch' in network).toBe(false);
    const trained = trainable(network);
    expect(trained).toBe(network);
    expect(typeof trained.trainBatch).toBe('function');
  });

  it('attaches once: a second call keeps the optimizer state the first configured', () => {
    const network = trainable(simdEngine().createNetwork(LOGISTIC_REGRESSION, { maxBatch: 16 }));
    network.setParameters(randomParameters(LOGISTIC_REGRESSION, 1));
    network.configureTraining({ optimizer: 'sgd', learningRate: 0.5, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 16 });
    const { matrix, labels, weights } = randomBatch(LOGISTIC_REGRESSION.inputs, 16, 2);
    const before = network.getParameters();
    trainable(network).trainBatch(matrix, labels, weights, 16);
    const sgdStep = network.getParameters();
    // Plain SGD with learning rate 0.5 moves the parameters far more than Adam's default 0.001 would.
    const moved = Math.max(...sgdStep.map((value, index) => Math.abs(value - before[index]!)));
    expect(moved).toBeGreaterThan(0.01);
  });

  it("returns the TypeScript engine's networks as they are: they train by themselves", () => {
    const network = createJsEngine().createNetwork(LOGISTIC_REGRESSION);
    expect(trainable(network)).toBe(network);
  });

  it('refuses, naming the engine, a network of an engine of your own that cannot train', () => {
    const scoringOnly = { engine: 'js', shape: LOGISTIC_REGRESSION } as unknown as Network;
    expect(() => trainable(scoringOnly)).toThrow(expect.objectContaining({ name: 'OptionsError', code: 'NETWORK_NOT_TRAINABLE', message: expect.stringMatching(/engine "js" has no training methods/) }));
  });
});
