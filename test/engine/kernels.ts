/**
 * The engines kernel tests run on. A test named for the kernel must run on the kernel: a
 * missing or stale build fails the test file (run "npm run build:wasm"; `npm test` builds first)
 * instead of skipping it or testing old code, and `kernelEngine()` refuses the pure-TypeScript
 * fallback that `loadEngine()` would otherwise hand out silently.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWasmEngine } from '../../src/engine/wasm-engine.js';
import type { Engine } from '../../src/engine/types.js';
import { loadEngine } from '../../src/node/index.js';
import { requireFreshKernel } from '../support/fresh-build.js';

const build = fileURLToPath(new URL('../../build/', import.meta.url));
export const SIMD_WASM = `${build}churnkit.simd.wasm`;
export const SCALAR_WASM = `${build}churnkit.scalar.wasm`;

function kernelModule(file: string): WebAssembly.Module {
  requireFreshKernel();
  return new WebAssembly.Module(readFileSync(file));
}

export function simdEngine(): Engine {
  return createWasmEngine(kernelModule(SIMD_WASM), 'wasm-simd');
}

export function scalarEngine(): Engine {
  return createWasmEngine(kernelModule(SCALAR_WASM), 'wasm-scalar');
}

/** What `loadEngine()` from `churnkit/node` gives users, required to be a WebAssembly kernel. */
export async function kernelEngine(): Promise<Engine> {
  requireFreshKernel();
  const engine = await loadEngine({ fallback: 'error' });
  if (engine.kind !== 'wasm-simd' && engine.kind !== 'wasm-scalar') throw new Error(`expected a WebAssembly kernel, loadEngine gave "${engine.kind}"`);
  return engine;
}
