/**
 * A kernel build as `churnkit/wasm/simd` and `churnkit/wasm/scalar` give it in each runtime:
 * a compiled `WebAssembly.Module` in workerd (imported as a module), the build's bytes (inline) in Node,
 * Bun and Deno, a URL beside the module elsewhere. Whatever it is, `loadEngine({ kernel })` takes it.
 */
declare const kernel: WebAssembly.Module | Uint8Array<ArrayBuffer> | URL;
export default kernel;
