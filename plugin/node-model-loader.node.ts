/**
 * Where the plugin's Node entries get models from: the kernel in this package's build/
 * folder, and model files read from disk. The edge adapters are given both by their caller.
 */
import { readFile } from 'node:fs/promises';
import { loadEngine } from '../src/node/index.js';
import { engineProvider, type ModelLoader } from './load-model.js';
import type { EngineOption } from './options.js';

/** Reads a model file's text from disk. */
export function readModelText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/**
 * A model loader for Node: `engine` as the plugin's `engine` option takes it (default: the
 * SIMD or scalar kernel from build/, an `EngineError` naming why if neither loads).
 *
 * @example
 * const model = await loadServingModel('models/storefront.json', nodeModelLoader());
 */
export function nodeModelLoader(engine: EngineOption = {}): ModelLoader {
  return { engine: engineProvider(engine, loadEngine), readModelFile: readModelText };
}
