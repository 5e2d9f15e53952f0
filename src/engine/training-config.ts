/** Validating a training configuration once, before any step runs on it. */
import { OptionsError } from '../errors.js';
import type { TrainingConfig } from './types.js';

/** What a network trains with until `configureTraining` says otherwise. */
export const DEFAULT_TRAINING: TrainingConfig = {
  optimizer: 'adam', learningRate: 0.001, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 256,
};

/** `interval` is written as in mathematics: '[0, 1)' includes 0 and excludes 1. */
function finiteIn(name: string, value: unknown, interval: string): number {
  const [, open, low, high, close] = /^([[(])(.+), (.+)([\])])$/.exec(interval)!;
  const lowOk = open === '[' ? (value as number) >= Number(low) : (value as number) > Number(low);
  const highOk = close === ']' ? (value as number) <= Number(high) : (value as number) < Number(high);
  if (typeof value !== 'number' || !Number.isFinite(value) || !lowOk || !highOk) {
    throw new OptionsError('TRAINING_CONFIG', `training config field "${name}" must be a number in ${interval}, got ${String(value)}`);
  }
  return value;
}

/** Returns a checked copy; hot paths then trust it. */
export function checkTrainingConfig(config: TrainingConfig): TrainingConfig {
  if (config?.optimizer !== 'adam' && config?.optimizer !== 'sgd') {
    throw new OptionsError('TRAINING_CONFIG', `training config field "optimizer" must be 'adam' or 'sgd', got ${String(config?.optimizer)}`);
  }
  const batchSize = config.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new OptionsError('TRAINING_CONFIG', `training config field "batchSize" must be a positive integer, got ${String(batchSize)}`);
  }
  return {
    optimizer: config.optimizer,
    learningRate: checkLearningRate(config.learningRate),
    momentum: finiteIn('momentum', config.momentum, '[0, 1)'),
    beta1: finiteIn('beta1', config.beta1, '[0, 1)'),
    beta2: finiteIn('beta2', config.beta2, '[0, 1)'),
    epsilon: finiteIn('epsilon', config.epsilon, '(0, 1]'),
    l2: finiteIn('l2', config.l2, '[0, 1000000]'),
    batchSize,
  };
}

export function checkLearningRate(learningRate: number): number {
  return finiteIn('learningRate', learningRate, '(0, 1000000]');
}
