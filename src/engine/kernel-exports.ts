/**
 * The kernel's exported ABI (`assembly/index.ts`), typed for the TypeScript side.
 * Pointers are byte offsets into the instance's own linear memory.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  setLayer(index: number, inputs: number, units: number, activation: number): void;
  /** Plans the arena for `layerCount` layers and `batchCapacity` rows; grows memory once. Returns 0, or -1 if memory could not grow. */
  plan(layerCount: number, batchCapacity: number): number;
  parametersPointer(): number;
  gradientPointer(): number;
  layerWeightsPointer(layer: number): number;
  layerBiasPointer(layer: number): number;
  layerWeightStride(layer: number): number;
  inputPointer(): number;
  inputGradientPointer(): number;
  batchInputPointer(): number;
  labelsPointer(): number;
  sampleWeightsPointer(): number;
  outputPointer(): number;

  predict(): number;
  logit(): number;
  predictBatch(rows: number): void;
  inputGradient(): number;

  configureTraining(optimizer: number, learningRate: number, momentum: number, beta1: number, beta2: number, epsilon: number, l2: number): void;
  setLearningRate(learningRate: number): void;
  zeroGradient(): void;
  accumulateGradient(rows: number, scale: number): number;
  addL2(): number;
  step(): void;
}

/** Optimizer codes understood by `configureTraining`. */
export const OPTIMIZER_CODES = { sgd: 0, adam: 1 } as const;
