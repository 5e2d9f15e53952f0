/**
 * A network backed by one instance of the WebAssembly kernel. The instance's linear
 * memory is this network's arena: parameters, activations, gradients and optimizer
 * state, planned once here. The typed-array views are derived after that single grow
 * and stay valid because nothing grows the memory again. This class scores;
 * `wasm-training.ts` attaches training to it (through `trainable`), so scoring code
 * carries none of it.
 */
import { EngineError } from '../errors.js';
import { checkBatchInputRows, checkMatrix, checkParameters, checkRowLength, checkVector } from './input-checks.js';
import type { KernelExports } from './kernel-exports.js';
import { ACTIVATION_CODES, resolveBatchCapacity, resolveShape, type ResolvedLayer } from './network-shape.js';
import type { EngineKind, Network, NetworkShape } from './types.js';

/**
 * `predictBatch` copies a caller's matrix into the kernel this many input floats (256 KB) at a
 * time: the kernel then reads rows the copy has just left in L2 cache instead of re-reading
 * a whole large batch from memory.
 */
const PREDICT_CHUNK_FLOATS = 65536;

interface LayerPlacement {
  readonly layer: ResolvedLayer;
  /** Float index of the layer's W[0, 0] in the kernel memory; rows are `weightStride` floats apart (1 for a single-unit layer). */
  readonly weightIndex: number;
  readonly biasIndex: number;
  readonly weightStride: number;
}

export class WasmNetwork implements Network {
  // Declared, not defined (`declare`): the constructor assigns them all, and class fields
  // would put their names in the core a page loads once more (issue 10's 30 KB budget).
  declare readonly shape: NetworkShape;
  declare readonly engine: EngineKind;
  declare readonly parameterCount: number;
  declare readonly input: Float32Array;
  declare readonly batchInput: Float32Array;
  declare readonly batchCapacity: number;

  /** Bound once so the single-row path is one property load and one call. */
  declare readonly predictInput: () => number;
  declare readonly logitInput: () => number;

  /** The instance's exports and a view over all of its memory: for `wasm-training.ts`, not public API. */
  declare readonly kernel: KernelExports;
  declare readonly heap: Float32Array;
  private declare readonly placements: readonly LayerPlacement[];
  private declare readonly output: Float32Array;
  private declare readonly inputGradientView: Float32Array;

  constructor(module: WebAssembly.Module, engine: EngineKind, shape: NetworkShape, options: { maxBatch?: number } = {}) {
    const resolved = resolveShape(shape);
    this.shape = shape;
    this.engine = engine;
    this.parameterCount = resolved.parameterCount;
    this.batchCapacity = resolveBatchCapacity(resolved, shape.inputs, options.maxBatch);

    const instance = new WebAssembly.Instance(module, {});
    const kernel = instance.exports as unknown as KernelExports;
    this.kernel = kernel;
    resolved.layers.forEach((layer, index) => kernel.setLayer(index, layer.inputs, layer.units, ACTIVATION_CODES[layer.activation]));
    if (kernel.plan(resolved.layers.length, this.batchCapacity) !== 0) {
      throw new EngineError('ENGINE_MEMORY', `could not reserve WebAssembly memory for a network of ${resolved.parameterCount} parameters and ${this.batchCapacity} batch rows`);
    }

    const heap = new Float32Array(kernel.memory.buffer);
    this.heap = heap;
    this.placements = resolved.layers.map((layer, index) => ({
      layer,
      weightIndex: kernel.layerWeightsPointer(index) >>> 2,
      biasIndex: kernel.layerBiasPointer(index) >>> 2,
      weightStride: kernel.layerWeightStride(index),
    }));
    const inputs = shape.inputs;
    this.input = this.view(kernel.inputPointer(), inputs);
    this.inputGradientView = this.view(kernel.inputGradientPointer(), inputs);
    this.batchInput = this.view(kernel.batchInputPointer(), this.batchCapacity * inputs);
    this.output = this.view(kernel.outputPointer(), this.batchCapacity);
    this.predictInput = kernel.predict;
    this.logitInput = kernel.logit;
  }

  setParameters(parameters: Float32Array): void {
    checkParameters(parameters, this.parameterCount);
    this.copyLayout(parameters, false);
  }

  getParameters(): Float32Array {
    return this.copyLayout(new Float32Array(this.parameterCount), true);
  }

  predictRow(row: ArrayLike<number>): number {
    checkRowLength(row, this.shape.inputs, 'row');
    this.input.set(row);
    return this.kernel.predict();
  }

  predictBatch(matrix: Float32Array, rows: number, out?: Float32Array): Float32Array {
    checkMatrix(matrix, rows, this.shape.inputs, 'matrix');
    // Allocated after the row count is checked: new Float32Array(-1) would be a RangeError, not an InputError.
    out ??= new Float32Array(rows);
    checkVector(out, rows, 'out');
    const inputs = this.shape.inputs;
    const chunkRows = Math.min(this.batchCapacity, Math.max(1, Math.floor(PREDICT_CHUNK_FLOATS / inputs)));
    for (let start = 0; start < rows; start += chunkRows) {
      const count = Math.min(chunkRows, rows - start);
      this.batchInput.set(matrix.subarray(start * inputs, (start + count) * inputs));
      this.kernel.predictBatch(count);
      out.set(this.output.subarray(0, count), start);
    }
    return out;
  }

  predictBatchInput(rows: number, out?: Float32Array): Float32Array {
    checkBatchInputRows(rows, this.batchCapacity);
    out ??= new Float32Array(rows);
    checkVector(out, rows, 'out');
    this.kernel.predictBatch(rows);
    out.set(this.output.subarray(0, rows));
    return out;
  }

  inputGradient(row: ArrayLike<number>, gradient: Float32Array): number {
    checkRowLength(row, this.shape.inputs, 'row');
    checkVector(gradient, this.shape.inputs, 'gradient');
    this.input.set(row);
    const logit = this.kernel.inputGradient();
    gradient.set(this.inputGradientView);
    return logit;
  }

  dispose(): void {
    // Nothing to free by hand: the instance and its memory go with the last reference to this object.
  }

  /** `length` floats of the kernel's memory from the byte offset `pointer`. */
  view(pointer: number, length: number): Float32Array {
    return this.heap.subarray(pointer >>> 2, (pointer >>> 2) + length);
  }

  /**
   * Copies between the contract's dense layout and the kernel's rows, which are padded to whole
   * SIMD vectors: `dense` into the kernel, or (`fromKernel`) the kernel's rows `shift` floats on
   * into `dense` (0: the parameters; the gradient block is laid out like them).
   */
  copyLayout(dense: Float32Array, fromKernel: boolean, shift = 0): Float32Array {
    for (const { layer, weightIndex, biasIndex, weightStride } of this.placements) {
      // Dense row `inputs` is the bias, right after the last row of weights.
      for (let row = 0; row <= layer.inputs; row++) {
        const at = layer.weightOffset + row * layer.units;
        const kernelAt = shift + (row < layer.inputs ? weightIndex + row * weightStride : biasIndex);
        if (fromKernel) dense.set(this.heap.subarray(kernelAt, kernelAt + layer.units), at);
        else this.heap.set(dense.subarray(at, at + layer.units), kernelAt);
      }
    }
    return dense;
  }
}
