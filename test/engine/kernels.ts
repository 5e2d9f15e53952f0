/** The two kernel builds, compiled once per test file; tests are skipped with a message when they are not built. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWasmEngine } from '../../src/engine/wasm-engine.js';
import type { Engine } from '../../src/engine/types.js';

const build = fileURLToPath(new URL('../../build/', import.meta.url));
export const SIMD_WASM = `${build}churnkit.simd.wasm`;
export const SCALAR_WASM = `${build}churnkit.scalar.wasm`;
export const KERNELS_BUILT = existsSync(SIMD_WASM) && existsSync(SCALAR_WASM);
export const NOT_BUILT_MESSAGE = 'skipped: build/churnkit.{simd,scalar}.wasm are absent (run "npm run build:wasm")';

export function simdEngine(): Engine {
  return createWasmEngine(new WebAssembly.Module(readFileSync(SIMD_WASM)), 'wasm-simd');
}

export function scalarEngine(): Engine {
  return createWasmEngine(new WebAssembly.Module(readFileSync(SCALAR_WASM)), 'wasm-scalar');
}
