/**
 * churnkit's own three engines as bench backends: the WebAssembly kernel (SIMD build and
 * scalar build) and the SDK's pure-TypeScript fallback. Single-row scoring writes the fresh
 * row straight into the network's zero-copy `input` view and calls `predictInput()`.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, Network } from '../../src/engine/types.js';
import { OptionsError } from '../../src/errors.js';
import { repoRoot } from '../repo-root.js';
import type { Backend, BackendId, LoadedNetwork } from './backend.js';

type ChurnkitBackendId = Extract<BackendId, 'churnkit-simd' | 'churnkit-scalar' | 'churnkit-js'>;

const LABELS: Record<ChurnkitBackendId, string> = {
  'churnkit-simd': 'churnkit (wasm SIMD)',
  'churnkit-scalar': 'churnkit (wasm scalar)',
  'churnkit-js': 'churnkit (pure-TS fallback)',
};

/** The engine behind a churnkit backend id, loaded the way an application would load it. */
export async function loadChurnkitEngine(id: ChurnkitBackendId): Promise<Engine> {
  if (id === 'churnkit-js') {
    const { createJsEngine } = await import('../../src/engine/js-engine.js');
    return createJsEngine();
  }
  const { loadEngine } = await import('../../src/node/index.js');
  return loadEngine({ simd: id === 'churnkit-simd', fallback: 'error' });
}

export function churnkitBackend(id: ChurnkitBackendId): Backend {
  let engine: Engine | undefined;
  return {
    id,
    label: LABELS[id],
    codeSize: () => ({ wasmBytes: id === 'churnkit-js' ? 0 : statSync(churnkitWasmPath(id === 'churnkit-simd')).size, nativeBytes: 0 }),
    activate: async () => {},
    async load(shape, parameters, { maxBatch }) {
      engine ??= await loadChurnkitEngine(id);
      const network = engine.createNetwork(shape, { maxBatch });
      network.setParameters(parameters);
      return churnkitNetwork(network, shape.inputs, maxBatch);
    },
  };
}

function churnkitNetwork(network: Network, inputs: number, maxBatch: number): LoadedNetwork {
  const input = network.input;
  // The API lets a caller reuse its output array across batches, as a scoring loop would.
  const probabilities = new Float32Array(maxBatch);
  return {
    mode: 'sync',
    predictOne(row) {
      input.set(row);
      return network.predictInput();
    },
    predictBatch(matrix, rows) {
      if (rows > maxBatch) throw new OptionsError('BENCH_BATCH', `churnkit bench adapter: batch of ${rows} rows, expected at most maxBatch = ${maxBatch}`);
      return network.predictBatch(matrix.subarray(0, rows * inputs), rows, probabilities.subarray(0, rows));
    },
    dispose: () => network.dispose(),
  };
}

/** The kernel file `loadEngine` reads from `build/`, for the size column of the cold-start table. */
function churnkitWasmPath(simd: boolean): string {
  return join(repoRoot(), 'build', `churnkit.${simd ? 'simd' : 'scalar'}.wasm`);
}
