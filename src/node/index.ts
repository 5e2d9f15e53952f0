/**
 * The Node entry point (`churnkit/node`): everything in the core, plus loading the
 * kernel from this package's `build/` folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.js';
import { loadEngine as loadEngineCore, type LoadEngineOptions } from '../engine/load-engine.js';
import type { Engine } from '../engine/types.js';

export { createJsEngine } from '../engine/js-engine.js';
export type { LoadEngineOptions } from '../engine/load-engine.js';

/**
 * The nearest folder above this file holding a package.json: the package root whether this
 * runs as `src/node/index.ts` (tests) or as `dist/src/node/index.js` (the published build).
 */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new EngineError('ENGINE_NOT_BUILT', `no package.json found above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  return folder;
}

function readKernel(file: string): Uint8Array<ArrayBuffer> | undefined {
  return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
}

/**
 * Loads the kernel from `build/churnkit.simd.wasm` and `build/churnkit.scalar.wasm`
 * (SIMD when the runtime has it). Options given explicitly win over the files.
 *
 * @example
 * import { loadEngine } from 'churnkit/node';
 * const engine = await loadEngine();
 * const network = engine.createNetwork({ inputs: 32, layers: [{ units: 1, activation: 'sigmoid' }] });
 */
export async function loadEngine(options: LoadEngineOptions = {}): Promise<Engine> {
  const explicit = options.module ?? options.bytes ?? options.scalarModule ?? options.scalarBytes;
  if (explicit !== undefined) return loadEngineCore(options);
  let build: string;
  try {
    build = join(packageRoot(), 'build');
  } catch (error) {
    if (options.fallback === 'error') throw error;
    return loadEngineCore(options);
  }
  const bytes = readKernel(join(build, 'churnkit.simd.wasm'));
  const scalarBytes = readKernel(join(build, 'churnkit.scalar.wasm'));
  if (!bytes && !scalarBytes && options.fallback === 'error') {
    throw new EngineError('ENGINE_NOT_BUILT', `neither ${join(build, 'churnkit.simd.wasm')} nor churnkit.scalar.wasm exists: run "npm run build:wasm"`);
  }
  return loadEngineCore({
    ...options,
    ...(bytes ? { bytes } : {}),
    ...(scalarBytes ? { scalarBytes } : {}),
  });
}
