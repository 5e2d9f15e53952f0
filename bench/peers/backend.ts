/**
 * What the harness needs from every backend, churnkit and peers alike: load one network's
 * weights, score one fresh row (result read back as a JS number), score a batch.
 */
import type { NetworkShape } from '../../src/engine/types.js';

export type BackendId =
  | 'churnkit-simd'
  | 'churnkit-scalar'
  | 'churnkit-js'
  | 'plain-js'
  | 'tfjs-wasm'
  | 'tfjs-cpu'
  | 'ort-node'
  | 'ort-web';

/** One network loaded into one backend. Single-row scoring is sync or async, never both. */
export type LoadedNetwork =
  | {
      readonly mode: 'sync';
      /** Copies `row` (one fresh input) in, returns the probability as a JS number. */
      predictOne(row: Float32Array): number;
      predictBatch(matrix: Float32Array, rows: number): Promise<Float32Array> | Float32Array;
      dispose(): void;
    }
  | {
      readonly mode: 'async';
      predictOne(row: Float32Array): Promise<number>;
      predictBatch(matrix: Float32Array, rows: number): Promise<Float32Array> | Float32Array;
      dispose(): void;
    };

export interface CodeSize {
  readonly wasmBytes: number;
  readonly nativeBytes: number;
}

export interface Backend {
  readonly id: BackendId;
  readonly label: string;
  /** Bytes of WebAssembly this backend compiles and of native libraries it maps (0 when none). */
  codeSize(): CodeSize;
  /** Makes this backend the active one where backends share global state (tfjs). */
  activate(): Promise<void>;
  load(shape: NetworkShape, parameters: Float32Array, options: { maxBatch: number }): Promise<LoadedNetwork>;
}
