/**
 * A kernel build as `churnkit/wasm/simd` and `churnkit/wasm/scalar` give it in each runtime:
 * a compiled `WebAssembly.Module` in workerd (imported as a module), bytes in Node and Bun, a
 * URL elsewhere. Whatever it is, `loadEngine({ kernel })` takes it.
 */
import type { KernelSource } from '../dist/src/engine/load-engine.js';

declare const kernel: KernelSource;
export default kernel;
