/**
 * `fallback: 'js'` as `churnkit/node` and the plugins take it: the pure-TypeScript engine,
 * handed to the core's `loadEngine` as its factory. The core does not import that engine itself
 * (a page or Worker scoring on the kernel would download it for nothing); these callers run
 * where its size does not matter, so they keep the short spelling.
 */
import { createJsEngine } from './js-engine.js';
import type { LoadEngineOptions } from './load-engine.js';

/**
 * @example
 * loadEngineCore(withJsFallback({ fallback: 'js' })); // the TypeScript engine when no kernel loads
 */
export function withJsFallback<Options extends LoadEngineOptions>(options: Options): Options {
  return options.fallback === 'js' ? { ...options, fallback: createJsEngine } : options;
}
