/**
 * Choosing and loading a backend, runtime-neutral: the caller hands over the kernel as a
 * compiled `WebAssembly.Module` or its bytes (Node reads them from disk in `src/node/index.ts`,
 * a browser fetches them, a Worker imports the module).
 */
import { EngineError, OptionsError } from '../errors.js';
import { createJsEngine } from './js-engine.js';
import { supportsWasmSimd } from './simd-support.js';
import { createWasmEngine } from './wasm-engine.js';
import type { Engine } from './types.js';

export interface LoadEngineOptions {
  /** The SIMD kernel (`churnkit.simd.wasm`), compiled. */
  module?: WebAssembly.Module;
  /** The SIMD kernel's bytes, compiled here when `module` is not given. */
  bytes?: BufferSource;
  /** The scalar kernel (`churnkit.scalar.wasm`) for runtimes without SIMD, compiled. */
  scalarModule?: WebAssembly.Module;
  scalarBytes?: BufferSource;
  /** `'auto'` (default) uses SIMD when the runtime supports it; `true` requires it; `false` forces the scalar build. */
  simd?: 'auto' | boolean;
  /** What to do when no kernel can be used: `'js'` (default) returns the pure-TypeScript engine, `'error'` throws. */
  fallback?: 'js' | 'error';
}

/**
 * Loads the fastest engine this runtime can run.
 *
 * @example
 * const bytes = await (await fetch('/churnkit.simd.wasm')).arrayBuffer();
 * const scalarBytes = await (await fetch('/churnkit.scalar.wasm')).arrayBuffer();
 * const engine = await loadEngine({ bytes, scalarBytes });
 * engine.kind; // 'wasm-simd' on any current browser
 */
export async function loadEngine(options: LoadEngineOptions = {}): Promise<Engine> {
  const simd = options.simd ?? 'auto';
  const fallback = options.fallback ?? 'js';
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new OptionsError('ENGINE_OPTIONS', `option "simd" must be 'auto', true or false, got ${String(simd)}`);
  }
  if (fallback !== 'js' && fallback !== 'error') {
    throw new OptionsError('ENGINE_OPTIONS', `option "fallback" must be 'js' or 'error', got ${String(fallback)}`);
  }

  const unavailable = (reason: string, cause?: unknown): Engine => {
    if (fallback === 'js') return createJsEngine();
    throw new EngineError('ENGINE_UNAVAILABLE', `${reason} (pass fallback: 'js' to use the pure-TypeScript engine instead)`, { cause });
  };

  if (typeof WebAssembly !== 'object') return unavailable('this runtime has no WebAssembly');
  const hasSimdKernel = options.module !== undefined || options.bytes !== undefined;
  const hasScalarKernel = options.scalarModule !== undefined || options.scalarBytes !== undefined;
  const runtimeSimd = supportsWasmSimd();

  if (simd === true && !runtimeSimd) return unavailable('simd: true was asked for, but this runtime does not support WebAssembly SIMD');
  const useSimd = simd !== false && runtimeSimd && hasSimdKernel;
  if (!useSimd && !hasScalarKernel) {
    return unavailable(hasSimdKernel
      ? 'the SIMD kernel cannot be used here and no scalar kernel (scalarModule or scalarBytes) was given'
      : 'no kernel was given (module, bytes, scalarModule or scalarBytes)');
  }
  try {
    const module = useSimd
      ? options.module ?? (await WebAssembly.compile(options.bytes!))
      : options.scalarModule ?? (await WebAssembly.compile(options.scalarBytes!));
    return createWasmEngine(module, useSimd ? 'wasm-simd' : 'wasm-scalar');
  } catch (error) {
    return unavailable(`the ${useSimd ? 'SIMD' : 'scalar'} kernel failed to compile: ${(error as Error).message}`, error);
  }
}
