/**
 * Functions compiled from source, one per backend or network, so each has call sites of
 * its own, as an application that scores with one library and one model has. A shared
 * function's call site sees every backend the bench loads: past four targets V8 makes it
 * megamorphic and each call takes the generic path (for a WebAssembly export, the generic
 * JS-to-Wasm wrapper instead of the one inlined into the caller), which charges each
 * backend for the others' presence. Copies of one closure would not do: V8 shares feedback
 * between closures of the same function literal. See the "Call sites" note in RESULTS.md.
 */

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as FunctionConstructor;

/**
 * A new function of `parameters` and `body`, with its own feedback (async when `async`).
 *
 * @example
 * const add = ownCallSite<(a: number, b: number) => number>(['a', 'b'], 'return a + b;');
 */
export function ownCallSite<F>(parameters: readonly string[], body: string, options: { async?: boolean } = {}): F {
  const Constructor = options.async ? AsyncFunction : Function;
  return new Constructor(...parameters, body) as F;
}
