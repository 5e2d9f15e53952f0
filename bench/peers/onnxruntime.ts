/**
 * onnxruntime-node (native CPU provider) and onnxruntime-web (WebAssembly) on one thread,
 * running the Gemm/Relu/Sigmoid graph built from the same weights. Single-row scoring is one
 * awaited `session.run` per call, the probability read back from the output tensor.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NetworkShape } from '../../src/engine/types.js';
import type { Backend, LoadedNetwork } from './backend.js';
import { ONNX_INPUT, ONNX_OUTPUT, onnxModelBytes } from './onnx-graph.js';

type Ort = typeof import('onnxruntime-common');

const require = createRequire(import.meta.url);

/** Imports the runtime (a devDependency, so only here) and pins it to one thread, local files only. */
export async function loadOnnxRuntime(kind: 'node' | 'web'): Promise<Ort> {
  if (kind === 'node') return (await import('onnxruntime-node')) as unknown as Ort;
  const ort = (await import('onnxruntime-web')) as unknown as Ort;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = `${onnxWebDistFolder()}/`;
  return ort;
}

export async function onnxSession(ort: Ort, kind: 'node' | 'web', modelBytes: Uint8Array): Promise<import('onnxruntime-common').InferenceSession> {
  return ort.InferenceSession.create(modelBytes, {
    executionProviders: [kind === 'node' ? 'cpu' : 'wasm'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

export function onnxRuntimeBackend(kind: 'node' | 'web'): Backend {
  let ort: Ort | undefined;
  return {
    id: kind === 'node' ? 'ort-node' : 'ort-web',
    label: kind === 'node' ? 'onnxruntime-node (native, 1 thread)' : 'onnxruntime-web (wasm, 1 thread)',
    codeSize: () => (kind === 'node'
      ? { wasmBytes: 0, nativeBytes: statSync(onnxNodeLibrary()).size }
      : { wasmBytes: statSync(join(onnxWebDistFolder(), 'ort-wasm-simd-threaded.wasm')).size, nativeBytes: 0 }),
    activate: async () => {},
    async load(shape, parameters) {
      ort ??= await loadOnnxRuntime(kind);
      const session = await onnxSession(ort, kind, onnxModelBytes(shape, parameters));
      return onnxNetwork(ort, session, shape);
    },
  };
}

function onnxNetwork(ort: Ort, session: import('onnxruntime-common').InferenceSession, shape: NetworkShape): LoadedNetwork {
  return {
    mode: 'async',
    async predictOne(row) {
      const outputs = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', row, [1, shape.inputs]) });
      return (outputs[ONNX_OUTPUT]!.data as Float32Array)[0]!;
    },
    async predictBatch(matrix, rows) {
      const input = new ort.Tensor('float32', matrix.subarray(0, rows * shape.inputs), [rows, shape.inputs]);
      const outputs = await session.run({ [ONNX_INPUT]: input });
      return outputs[ONNX_OUTPUT]!.data as Float32Array;
    },
    dispose() {
      void session.release();
    },
  };
}

function onnxWebDistFolder(): string {
  return join(dirname(require.resolve('onnxruntime-web')), '..', 'dist');
}

function onnxNodeLibrary(): string {
  const binding = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return join(binding, process.platform === 'win32' ? 'onnxruntime.dll' : process.platform === 'darwin' ? 'libonnxruntime.dylib' : 'libonnxruntime.so.1');
}
