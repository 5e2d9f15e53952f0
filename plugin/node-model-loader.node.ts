/**
 * Where the plugin's Node entries get models from: the kernel in this package's build/
 * folder, and model files read from disk. The edge adapters are given both by their caller.
 */
import { loadEngine } from '../src/node/index.js';
import { readModelBytes } from '../src/node/read-model-file.js';
import { engineProvider, type ModelLoader } from './load-model.js';
import type { EngineOption } from './options.js';

/**
 * A model loader for Node: `engine` as the plugin's `engine` option takes it (default: the
 * SIMD or scalar kernel from build/, an `EngineError` naming why if neither loads); a model
 * file that is missing, unreadable or over the size bound is a `ModelFormatError` naming it.
 *
 * @example
 * const model = await loadServingModel('models/storefront.json', nodeModelLoader());
 */
export function nodeModelLoader(engine: EngineOption = {}): ModelLoader {
  return { engine: engineProvider(engine, loadEngine), readModelFile: (path) => readModelBytes(path) };
}
