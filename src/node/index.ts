/**
 * The Node entry point (`churnkit/node`): what needs Node's file system, beside the core
 * (`churnkit`): the kernel loaded from this package's `build/` folder, model files read from
 * disk. It re-exports only the engine loading it wraps, so importing it for the kernel alone
 * stays cheap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.js';
import { withJsFallback } from '../engine/js-fallback.js';
import { loadEngine as loadEngineCore, type LoadEngineOptions } from '../engine/load-engine.js';
import type { Engine } from '../engine/types.js';
import { packageRoot } from './package-root.js';

export { createJsEngine } from '../engine/js-engine.js';
export type { Engine, EngineKind } from '../engine/types.js';
export type { KernelSource, LoadEngineOptions } from '../engine/load-engine.js';
export { readModelFile } from './read-model-file.js';

/**
 * The kernel builds shipped in this package: `build/churnkit.simd.wasm` and
 * `build/churnkit.scalar.wasm` under the package root (found from this file, whether it runs as
 * `src/node/index.ts` in tests or as `dist/src/node/index.js` installed).
 */
export function kernelFiles(): { simd: string; scalar: string } {
  const folder = packageRoot();
  if (folder === null) throw new EngineError('ENGINE_NOT_BUILT', `no package.json found above ${fileURLToPath(import.meta.url)}`);
  return { simd: join(folder, 'build', 'churnkit.simd.wasm'), scalar: join(folder, 'build', 'churnkit.scalar.wasm') };
}

/**
 * Loads the kernel from the package's `build/` folder (SIMD when the runtime has it, the
 * scalar build with `simd: false`). A kernel given in `options` wins over the files. A missing
 * or broken build is an `EngineError` unless `fallback: 'js'` (or `createJsEngine`) is passed:
 * in Node the TypeScript engine costs nothing to import, so `'js'` names it here.
 *
 * @example
 * import { loadModel } from 'churnkit';
 * import { loadEngine, readModelFile } from 'churnkit/node';
 * const model = loadModel(await loadEngine(), await readModelFile('models/storefront.json'));
 * model.predict({ recency_days: 12, log_orders_total: 1.4 });
 */
export async function loadEngine(given: LoadEngineOptions = {}): Promise<Engine> {
  const options = withJsFallback(given);
  // Anything but 'error' goes to the core, which takes the fallback or refuses the option.
  const fallsBack = options.fallback !== undefined && options.fallback !== 'error';
  const kernelGiven = options.kernel ?? options.scalarKernel ?? options.module ?? options.bytes ?? options.scalarModule ?? options.scalarBytes;
  if (kernelGiven !== undefined) return loadEngineCore(options);
  let files: { simd: string; scalar: string };
  try {
    files = kernelFiles();
  } catch (error) {
    if (fallsBack) return loadEngineCore(options);
    throw error;
  }
  const kernel = readKernel(files.simd);
  const scalarKernel = readKernel(files.scalar);
  if (!kernel && !scalarKernel && !fallsBack) {
    throw new EngineError('ENGINE_NOT_BUILT', `neither ${files.simd} nor ${files.scalar} exists: run "npm run build:wasm" (or pass fallback: 'js')`);
  }
  return loadEngineCore({ ...options, ...(kernel ? { kernel } : {}), ...(scalarKernel ? { scalarKernel } : {}) });
}

function readKernel(file: string): Uint8Array<ArrayBuffer> | undefined {
  return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
}
