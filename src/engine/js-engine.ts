/** The engine that needs no WebAssembly at all. */
import { JsNetwork } from './js-network.js';
import type { Engine } from './types.js';

/**
 * The pure-TypeScript engine: works in every JavaScript runtime, slower than the kernel.
 *
 * @example
 * const engine = createJsEngine();
 * const network = engine.createNetwork({ inputs: 3, layers: [{ units: 1, activation: 'sigmoid' }] });
 * network.setParameters(new Float32Array([0.5, -1, 2, 0.1]));
 * network.predictRow([1, 0, 0.5]); // ≈ 0.83
 * // As the fallback where no kernel loads (the core's loadEngine takes it only when handed over):
 * const anyEngine = await loadEngine({ kernel, fallback: createJsEngine });
 */
export function createJsEngine(): Engine {
  return {
    kind: 'js',
    createNetwork: (shape, options) => new JsNetwork(shape, options),
  };
}
