import { describe, expect, it } from 'vitest';
import { resolveBatchCapacity, resolveShape } from '../../src/engine/network-shape.js';
import { checkTrainingConfig, DEFAULT_TRAINING } from '../../src/engine/training-config.js';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { trainable } from '../../src/engine/trainable.js';
import type { TrainableNetwork, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, randomParameters } from './fixtures.js';

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 8 };

describe('a training configuration', () => {
  it('takes each field up to the closed end of its interval and refuses the open end', () => {
    expect(checkTrainingConfig({ ...ADAM, epsilon: 1, l2: 1_000_000, learningRate: 1_000_000 })).toMatchObject({ epsilon: 1, l2: 1_000_000, learningRate: 1_000_000 });
    expect(() => checkTrainingConfig({ ...ADAM, epsilon: 0 })).toThrow(/"epsilon" must be a number in \(0, 1\], got 0/);
    expect(() => checkTrainingConfig({ ...ADAM, momentum: 1 })).toThrow(/"momentum" must be a number in \[0, 1\), got 1/);
    expect(() => checkTrainingConfig({ ...ADAM, l2: 1_000_001 })).toThrow(/"l2"/);
  });

  it('allows an l2 penalty above 1 (up to a million)', () => {
    expect(checkTrainingConfig({ ...ADAM, l2: 5 }).l2).toBe(5);
  });

  it('refuses a batch size of 0', () => {
    expect(() => checkTrainingConfig({ ...ADAM, batchSize: 0 })).toThrow(/"batchSize" must be a positive integer, got 0/);
  });

  it('trains with Adam at learning rate 0.001 until configured otherwise', () => {
    const stepOf = (configure: (network: TrainableNetwork) => void) => {
      const network = trainable(createJsEngine().createNetwork(LOGISTIC_REGRESSION));
      network.setParameters(randomParameters(LOGISTIC_REGRESSION, 1));
      configure(network);
      const rows = 4;
      const matrix = Float32Array.from({ length: rows * 32 }, (_, index) => (index % 7) / 7);
      network.trainBatch(matrix, new Float32Array([0, 1, 1, 0]), new Float32Array(rows).fill(1), rows);
      return network.getParameters();
    };
    const unconfigured = stepOf(() => {});
    expect(unconfigured).toEqual(stepOf((network) => network.configureTraining({ optimizer: 'adam', learningRate: 0.001, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 256 })));
    expect(unconfigured).not.toEqual(stepOf((network) => network.configureTraining({ ...DEFAULT_TRAINING, learningRate: 0.01 })));
  });
});

describe('the batch capacity of a network', () => {
  // A 4096-input logistic regression: its widest buffer is its 4096 inputs.
  const wide = resolveShape({ inputs: 4096, layers: [{ units: 1, activation: 'sigmoid' }] });
  // A hidden layer of 4093 units: its buffer is 4093 + 3 = 4096 floats a row (its SIMD padding).
  const hidden = resolveShape({ inputs: 2, layers: [{ units: 4093, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });

  it('holds up to 2^26 floats per buffer, the limit itself included', () => {
    expect(resolveBatchCapacity(wide, 4096, 2 ** 14)).toBe(2 ** 14);
    expect(() => resolveBatchCapacity(wide, 4096, 2 ** 14 + 1)).toThrow(/exceeds 67108864 floats per buffer/);
  });

  it('counts a layer three floats wider than its units', () => {
    expect(resolveBatchCapacity(hidden, 2, 2 ** 14)).toBe(2 ** 14);
    const unpaddedFit = resolveShape({ inputs: 2, layers: [{ units: 4096, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
    expect(() => resolveBatchCapacity(unpaddedFit, 2, 2 ** 14)).toThrow(/the widest layer \(4099 floats\)/);
  });
});
