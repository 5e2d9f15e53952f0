/**
 * Choosing and loading a backend, runtime-neutral: the caller hands over the kernel as a
 * compiled `WebAssembly.Module` (what Cloudflare Workers allow: they refuse to compile bytes at
 * run time), its bytes, a `fetch` `Response` or a URL to fetch (browsers, Deno, Bun). Node
 * reads the files from the package with `loadEngine` from `churnkit/node`.
 *
 * The engine is chosen explicitly: a kernel that cannot load is an `EngineError` saying why,
 * unless the caller handed over the pure-TypeScript fallback (`fallback: createJsEngine`),
 * which is 4 to 23 times slower per score (bench/RESULTS.md). A quiet fallback is how a Worker given bytes used
 * to run slowly without anyone knowing. The fallback is passed in rather than imported here so
 * that a page or Worker that only scores on the kernel does not download it.
 */
import { EngineError, OptionsError } from '../errors.js';
import { supportsWasmSimd } from './simd-support.js';
import type { Engine } from './types.js';
import { createWasmEngine } from './wasm-engine.js';

/** A kernel build as the runtime has it: compiled, as bytes, as a fetch response (or its promise), or as a URL to fetch (a `URL` or its text). */
export type KernelSource = WebAssembly.Module | BufferSource | Response | PromiseLike<Response> | URL | string;

export interface LoadEngineOptions {
  /** The SIMD kernel (`churnkit/wasm/simd`, `churnkit.simd.wasm`). */
  kernel?: KernelSource;
  /** The scalar kernel (`churnkit/wasm/scalar`) for runtimes without WebAssembly SIMD. */
  scalarKernel?: KernelSource;
  /** @deprecated Use `kernel`, which takes a module too. */
  module?: WebAssembly.Module;
  /** @deprecated Use `kernel`, which takes bytes too. */
  bytes?: BufferSource;
  /** @deprecated Use `scalarKernel`. */
  scalarModule?: WebAssembly.Module;
  /** @deprecated Use `scalarKernel`. */
  scalarBytes?: BufferSource;
  /** `'auto'` (default) uses SIMD when the runtime supports it; `true` requires it; `false` forces the scalar build. */
  simd?: 'auto' | boolean;
  /**
   * When no kernel can be used: `'error'` (default) throws an `EngineError` naming why;
   * `createJsEngine` (imported from `churnkit`) returns the pure-TypeScript engine instead (its
   * `fallbackReason` says why). `'js'` means the same to `loadEngine` of `churnkit/node` and to
   * the plugins, which import that engine themselves; this runtime-neutral `loadEngine` refuses
   * it with an `OptionsError`, so that what it bundles stays kernel-only.
   */
  fallback?: 'error' | 'js' | (() => Engine);
}

/**
 * Loads the kernel build this runtime runs best.
 *
 * @example
 * // A browser, Deno or Bun: fetch the kernel (compiled while it downloads).
 * const engine = await loadEngine({ kernel: fetch(new URL('churnkit/wasm/simd', import.meta.url)) });
 * // Cloudflare Workers: import the .wasm as a module.
 * import kernel from 'churnkit/wasm/simd';
 * const engine = await loadEngine({ kernel });
 * engine.kind; // 'wasm-simd'
 * // Accept the slower TypeScript engine where no kernel loads.
 * import { createJsEngine } from 'churnkit';
 * const anyEngine = await loadEngine({ kernel, fallback: createJsEngine });
 */
export async function loadEngine(options: LoadEngineOptions = {}): Promise<Engine> {
  const simd = options.simd ?? 'auto';
  const fallback = options.fallback ?? 'error';
  if (simd !== 'auto' && simd !== true && simd !== false) {
    throw new OptionsError('ENGINE_OPTIONS', `option "simd" must be 'auto', true or false, got ${String(simd)}`);
  }
  if (fallback !== 'error' && typeof fallback !== 'function') {
    throw new OptionsError('ENGINE_OPTIONS', `option "fallback" must be 'error' or an engine factory (createJsEngine from 'churnkit'${fallback === 'js' ? "; 'js' is for churnkit/node and the plugins" : ''}), got ${String(fallback)}`);
  }
  const unavailable = async (reason: string, cause?: unknown): Promise<Engine> => {
    if (fallback === 'error') throw new EngineError('ENGINE_UNAVAILABLE', `${reason} (pass fallback: 'js' to churnkit/node or a plugin, fallback: createJsEngine here, to run on the pure-TypeScript engine, 4-23x slower)`, { cause });
    return { ...fallback(), fallbackReason: reason };
  };

  if (typeof WebAssembly !== 'object') return unavailable('this runtime has no WebAssembly');
  const simdKernel = options.kernel ?? options.module ?? options.bytes;
  const scalarKernel = options.scalarKernel ?? options.scalarModule ?? options.scalarBytes;
  const runtimeSimd = supportsWasmSimd();
  if (simd === true && !runtimeSimd) return unavailable('simd: true was asked for, but this runtime does not support WebAssembly SIMD');
  const useSimd = simd !== false && runtimeSimd && simdKernel !== undefined;
  const source = useSimd ? simdKernel : scalarKernel;
  if (source === undefined) {
    return unavailable(simdKernel !== undefined
      ? `the SIMD kernel cannot be used here (${runtimeSimd ? 'simd: false was asked for' : 'this runtime has no WebAssembly SIMD'}) and no scalar kernel (scalarKernel) was given`
      : 'no kernel was given (kernel or scalarKernel)');
  }
  const build = useSimd ? 'SIMD' : 'scalar';
  let module: WebAssembly.Module;
  try {
    module = await compileKernel(source);
  } catch (error) {
    if (error instanceof EngineError) return unavailable(`the ${build} kernel could not be fetched (${error.message})`, error);
    return unavailable(`the ${build} kernel failed to compile: ${(error as Error).message}${compileHint(error)}`, error);
  }
  return createWasmEngine(module, useSimd ? 'wasm-simd' : 'wasm-scalar');
}

async function compileKernel(source: KernelSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  let response: Response;
  // A path such as '/churnkit.simd.wasm' is fetched as a URL is (relative to the page).
  const url = typeof source === 'string' || source instanceof URL ? source : undefined;
  try {
    response = await (url ? fetch(url) : (source as Response | PromiseLike<Response>));
  } catch (error) {
    throw new EngineError('ENGINE_KERNEL_FETCH', `${url ?? 'the kernel request'} failed: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new EngineError('ENGINE_KERNEL_FETCH', `${response.url || 'the kernel request'} answered HTTP ${response.status}`);
  // compileStreaming compiles while the bytes arrive, but only takes the wasm content type.
  const streamable = typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm';
  return streamable ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

/** The runtimes that refuse to compile at run time say so in words worth translating. */
function compileHint(error: unknown): string {
  return /disallowed|code generation|unsafe-eval/i.test(String((error as Error)?.message))
    ? "; this runtime only runs WebAssembly it was given as a module (Cloudflare Workers: import kernel from 'churnkit/wasm/simd'), or its Content-Security-Policy lacks 'wasm-unsafe-eval'"
    : '';
}
