/**
 * The engine contract: what every backend (WebAssembly SIMD, WebAssembly scalar,
 * pure TypeScript) provides. Models and the trainer talk only to these interfaces; the
 * trainer's extra methods (`TrainableNetwork`) are attached by `trainable`, outside what scoring imports.
 */

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/** A feed-forward network: `inputs` → hidden layers → one sigmoid output unit. */
export interface NetworkShape {
  readonly inputs: number;
  /** Every layer including the output layer; the last has `units: 1, activation: 'sigmoid'`. */
  readonly layers: readonly { readonly units: number; readonly activation: Activation }[];
}

export type EngineKind = 'wasm-simd' | 'wasm-scalar' | 'js';

export interface TrainingConfig {
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  /** SGD momentum (0 = plain SGD). */
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** L2 penalty on weights (not biases), added to the loss as l2/2 * sum(w^2). */
  l2: number;
  /** Largest mini-batch `trainBatch` will be given. */
  batchSize: number;
}

/**
 * Parameters are one flat Float32Array, layer after layer: the weight matrix W stored
 * input-major (`W[i * units + j]` connects input i to unit j), then the bias vector.
 * This layout is the model file's layout too.
 */
export interface Network {
  readonly shape: NetworkShape;
  readonly engine: EngineKind;
  readonly parameterCount: number;

  setParameters(parameters: Float32Array): void;
  getParameters(): Float32Array;

  /**
   * Zero-copy input for one row: write `shape.inputs` floats here, then call
   * `predictInput()`. The view stays valid for the network's lifetime (its memory
   * is planned once, when the network is created, and never grows afterwards).
   * Every engine sanitises inputs before a forward pass (NaN → 0, values clamped to
   * ±1e9, see `input-limit.ts`). Whether the view itself is rewritten is not part of the
   * contract: the kernel sanitises logistic regression's inputs as it reads them.
   * `predictRow` and `inputGradient` write their row into this same slot.
   */
  readonly input: Float32Array;
  /** Probability for the row currently in `input`. */
  predictInput(): number;
  /** Logit (pre-sigmoid output) for the row currently in `input`. */
  logitInput(): number;

  /**
   * Zero-copy batch input: room for `batchCapacity` rows of `shape.inputs` floats, row-major.
   * Encoders write rows straight here, then call `predictBatchInput(rows)`. Like `input`,
   * the view stays valid for the network's lifetime.
   */
  readonly batchInput: Float32Array;
  /** How many rows `batchInput` holds (at least the `maxBatch` the network was created with). */
  readonly batchCapacity: number;
  /** Probabilities for the first `rows` rows (at most `batchCapacity`) of `batchInput`. */
  predictBatchInput(rows: number, out?: Float32Array): Float32Array;

  predictRow(row: ArrayLike<number>): number;
  /** Row-major `rows x inputs` matrix in, probabilities out. */
  predictBatch(matrix: Float32Array, rows: number, out?: Float32Array): Float32Array;

  /** d logit / d input for one row, written to `gradient`; returns the logit. */
  inputGradient(row: ArrayLike<number>, gradient: Float32Array): number;

  /** Releases the instance; the network must not be used afterwards. */
  dispose(): void;
}

/**
 * A network that also trains: `trainable(network)` attaches training to one an engine created.
 * Scoring never needs it, so what a page or Worker loads to score carries no training code.
 */
export interface TrainableNetwork extends Network {
  configureTraining(config: TrainingConfig): void;
  setLearningRate(learningRate: number): void;
  /** Forward, backward and one optimizer step on a mini-batch; returns the mean weighted loss before the step. */
  trainBatch(matrix: Float32Array, labels: Float32Array, sampleWeights: Float32Array, rows: number): number;
  /** Mean weighted loss (+ L2 term) and its gradient w.r.t. every parameter, no step (gradient checks). */
  lossAndGradient(matrix: Float32Array, labels: Float32Array, sampleWeights: Float32Array, rows: number, gradient: Float32Array): number;
}

export interface Engine {
  readonly kind: EngineKind;
  /** Set when `loadEngine({ fallback: createJsEngine })` (`'js'` in `churnkit/node` and the plugins) fell back to the TypeScript engine: why the kernel could not be used. */
  readonly fallbackReason?: string;
  createNetwork(shape: NetworkShape, options?: { maxBatch?: number }): Network;
}
