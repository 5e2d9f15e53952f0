/** An engine over one compiled kernel module: every network is a fresh instance of it. */
import { WasmNetwork } from './wasm-network.js';
import type { Engine } from './types.js';

export function createWasmEngine(module: WebAssembly.Module, kind: 'wasm-simd' | 'wasm-scalar'): Engine {
  return {
    kind,
    createNetwork: (shape, options) => new WasmNetwork(module, kind, shape, options),
  };
}
