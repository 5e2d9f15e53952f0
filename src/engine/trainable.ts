/**
 * Training attached to a network an engine created: scoring (`loadModel`, a page, a Worker)
 * imports only the engines' forward passes, and the trainer imports this.
 */
import { OptionsError } from '../errors.js';
import type { Network, TrainableNetwork } from './types.js';
import { attachWasmTraining } from './wasm-training.js';
import { WasmNetwork } from './wasm-network.js';

/**
 * The network, able to train: the kernel's networks get their training attached (once); the
 * TypeScript engine's, and an engine of your own whose networks have the training methods,
 * are returned as they are.
 *
 * @example
 * const network = trainable(engine.createNetwork(shape, { maxBatch: 256 }));
 * network.configureTraining({ optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 256 });
 * const loss = network.trainBatch(matrix, labels, weights, rows);
 */
export function trainable(network: Network): TrainableNetwork {
  if (typeof (network as Partial<TrainableNetwork>).trainBatch === 'function') return network as TrainableNetwork;
  if (network instanceof WasmNetwork) return attachWasmTraining(network);
  throw new OptionsError('NETWORK_NOT_TRAINABLE', `a network of engine "${network.engine}" has no training methods (configureTraining, trainBatch, ...)`);
}
