/**
 * tfjs-core with its WebAssembly (SIMD, one thread) or its CPU backend. The network is
 * `tf.fused.matMul` with bias and activation per layer — the fastest path tfjs-core offers.
 * Single-row scoring creates a tensor and reads it back with `dataSync()` on every call.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NetworkShape } from '../../src/engine/types.js';
import { OptionsError } from '../../src/errors.js';
import { layerParameters } from '../workloads.js';
import type { Backend, LoadedNetwork } from './backend.js';

type Tf = typeof import('@tensorflow/tfjs-core');

const require = createRequire(import.meta.url);

/** Imports tfjs-core and registers the backend; the peer is a devDependency, so only ever imported here. */
export async function loadTfjs(kind: 'wasm' | 'cpu'): Promise<Tf> {
  const tf = await silencingNodeAdvice(() => import('@tensorflow/tfjs-core'));
  if (kind === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = tfjsWasmDistFolder();
    // File paths, not URLs: in Node the backend reads them with fs; nothing may hit the network.
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
  } else {
    await silencingNodeAdvice(() => import('@tensorflow/tfjs-backend-cpu'));
  }
  await silencingNodeAdvice(async () => {
    await tf.setBackend(kind);
    // The CPU backend prints its banner on its first tensor: create that tensor here, quietly.
    tf.tensor1d([0]).dispose();
  });
  return tf;
}

export function tfjsBackend(kind: 'wasm' | 'cpu'): Backend {
  let tf: Tf | undefined;
  const ensureLoaded = async (): Promise<Tf> => (tf ??= await loadTfjs(kind));
  return {
    id: kind === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    label: kind === 'wasm' ? 'tfjs-core + tfjs-backend-wasm (SIMD)' : 'tfjs-core + tfjs-backend-cpu',
    codeSize: () => ({ wasmBytes: kind === 'wasm' ? statSync(join(tfjsWasmDistFolder(), 'tfjs-backend-wasm-simd.wasm')).size : 0, nativeBytes: 0 }),
    async activate() {
      const loaded = await ensureLoaded();
      // Both tfjs backends share one engine: switch to ours before every measurement phase.
      if (loaded.getBackend() !== kind) await loaded.setBackend(kind);
    },
    async load(shape, parameters) {
      const loaded = await ensureLoaded();
      await this.activate();
      return tfjsNetwork(loaded, shape, parameters);
    },
  };
}

function tfjsNetwork(tf: Tf, shape: NetworkShape, parameters: Float32Array): LoadedNetwork {
  const layers = layerParameters(shape, parameters).map(({ weights, bias, fanIn, units }, index) => ({
    weights: tf.tensor2d(weights, [fanIn, units]),
    bias: tf.tensor1d(bias),
    activation: fusedActivation(shape.layers[index]!.activation),
  }));

  function forward(input: import('@tensorflow/tfjs-core').Tensor2D): import('@tensorflow/tfjs-core').Tensor2D {
    let output = input;
    for (const layer of layers) output = tf.fused.matMul({ a: output, b: layer.weights, bias: layer.bias, activation: layer.activation }) as typeof input;
    return output;
  }

  return {
    mode: 'sync',
    predictOne(row) {
      const probability = tf.tidy(() => forward(tf.tensor2d(row, [1, shape.inputs])));
      const value = probability.dataSync()[0]!;
      probability.dispose();
      return value;
    },
    predictBatch(matrix, rows) {
      const probabilities = tf.tidy(() => forward(tf.tensor2d(matrix.subarray(0, rows * shape.inputs), [rows, shape.inputs])));
      const values = probabilities.dataSync() as Float32Array;
      probabilities.dispose();
      return values;
    },
    dispose() {
      for (const layer of layers) tf.dispose([layer.weights, layer.bias]);
    },
  };
}

function fusedActivation(activation: NetworkShape['layers'][number]['activation']): 'relu' | 'sigmoid' | 'linear' {
  if (activation === 'tanh') throw new OptionsError('BENCH_ACTIVATION', 'tfjs peer: activation "tanh" has no fused form, expected relu, sigmoid or linear');
  return activation;
}

function tfjsWasmDistFolder(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
}

/** tfjs prints a "install tfjs-node" banner on import in Node; it would interleave with our progress output. */
async function silencingNodeAdvice<T>(importer: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    return await importer();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}
