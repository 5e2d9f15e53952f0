/**
 * Training on the WebAssembly kernel, attached to a `WasmNetwork` by `trainable`: the kernel
 * trains in its own memory (gradients and optimizer state beside the parameters), and this
 * feeds it mini-batches. Kept apart from `WasmNetwork` so that scoring carries none of it.
 */
import { checkMatrix, checkTrainingRows, checkVector } from './input-checks.js';
import { OPTIMIZER_CODES } from './kernel-exports.js';
import { checkLearningRate, checkTrainingConfig, DEFAULT_TRAINING } from './training-config.js';
import type { TrainableNetwork, TrainingConfig } from './types.js';
import type { WasmNetwork } from './wasm-network.js';

/**
 * Adds the training methods to `network` and returns it.
 *
 * @example
 * const network = attachWasmTraining(new WasmNetwork(module, 'wasm-simd', shape));
 * network.trainBatch(matrix, labels, weights, rows);
 */
export function attachWasmTraining(network: WasmNetwork): TrainableNetwork {
  const { kernel, batchCapacity, batchInput } = network;
  const labelsView = network.view(kernel.labelsPointer(), batchCapacity);
  const weightsView = network.view(kernel.sampleWeightsPointer(), batchCapacity);
  const gradientShift = (kernel.gradientPointer() - kernel.parametersPointer()) >>> 2;
  /**
   * Training is configured on first use, not when the network is made: configuring zeroes the
   * optimizer's two moment buffers (twice the parameters' size), which a network that only
   * scores never needs: for a 4 M-weight model that was 33 MB of memory touched.
   */
  let configured = false;

  const configureTraining = (config: TrainingConfig): void => {
    const checked = checkTrainingConfig(config);
    kernel.configureTraining(OPTIMIZER_CODES[checked.optimizer], checked.learningRate, checked.momentum, checked.beta1, checked.beta2, checked.epsilon, checked.l2);
    configured = true;
  };
  const ensureConfigured = (): void => {
    if (!configured) configureTraining(DEFAULT_TRAINING);
  };
  /** Gradient of the mean weighted loss over all `rows`, fed to the kernel in chunks of `batchCapacity`. */
  const computeGradient = (matrix: Float32Array, labels: Float32Array, sampleWeights: Float32Array, rows: number): number => {
    checkMatrix(matrix, rows, network.shape.inputs, 'matrix');
    checkTrainingRows(labels, sampleWeights, rows);
    const inputs = network.shape.inputs;
    kernel.zeroGradient();
    let lossSum = 0;
    for (let start = 0; start < rows; start += batchCapacity) {
      const count = Math.min(batchCapacity, rows - start);
      batchInput.set(matrix.subarray(start * inputs, (start + count) * inputs));
      labelsView.set(labels.subarray(start, start + count));
      weightsView.set(sampleWeights.subarray(start, start + count));
      lossSum += kernel.accumulateGradient(count, 1 / rows);
    }
    return (rows > 0 ? lossSum / rows : 0) + kernel.addL2();
  };

  return Object.assign(network, {
    configureTraining,
    setLearningRate(learningRate: number): void {
      ensureConfigured();
      kernel.setLearningRate(checkLearningRate(learningRate));
    },
    trainBatch(matrix: Float32Array, labels: Float32Array, sampleWeights: Float32Array, rows: number): number {
      ensureConfigured();
      const loss = computeGradient(matrix, labels, sampleWeights, rows);
      if (rows > 0) kernel.step();
      return loss;
    },
    lossAndGradient(matrix: Float32Array, labels: Float32Array, sampleWeights: Float32Array, rows: number, gradient: Float32Array): number {
      checkVector(gradient, network.parameterCount, 'gradient');
      ensureConfigured();
      const loss = computeGradient(matrix, labels, sampleWeights, rows);
      network.copyLayout(gradient, true, gradientShift);
      return loss;
    },
  });
}
