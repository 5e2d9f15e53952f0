/**
 * Turning the `model` option (or a `PUT /model` body) into a serving model: a loaded
 * `ChurnModel` is used as it is, made able to explain (the reasons); a model file object (or,
 * where there is a file system, a path) is parsed, validated (schema and checksum) and loaded
 * on the plugin's engine.
 */
import { withJsFallback } from '../src/engine/js-fallback.js';
import type { LoadEngineOptions } from '../src/engine/load-engine.js';
import type { Engine } from '../src/engine/types.js';
import { OptionsError } from '../src/errors.js';
import { explainable } from '../src/explain/explainable.js';
import { loadModel, type ChurnModel } from '../src/model/churn-model.js';
import { parseModelFile } from '../src/model/model-file.js';
import type { EngineOption } from './options.js';
import type { ServingModel } from './serving-model.js';

/** Where model files come from and what runs them: given by the adapter. */
export interface ModelLoader {
  /** The engine every model file is loaded on (created on first use, then shared). */
  engine: () => Promise<Engine>;
  /** Reads a model file path; absent where there is no file system (the edge). */
  readModelFile?: (path: string) => Promise<string | Uint8Array>;
}

/**
 * A lazily created engine shared by every model the plugin loads: the kernel is loaded
 * once, on the first model file, never on the request path. Unless the option asks for
 * `fallback: 'js'`, a kernel that cannot load is an error (`EngineError`) naming why,
 * never a silent switch to the slower pure-TypeScript engine.
 *
 * @example
 * const engine = engineProvider({ module: kernelModule }, loadEngine);
 * (await engine()).kind; // 'wasm-simd'
 */
export function engineProvider(option: EngineOption, load: (options: LoadEngineOptions) => Promise<Engine>): () => Promise<Engine> {
  let engine: Promise<Engine> | undefined = isEngine(option) ? Promise.resolve(option) : undefined;
  return () => (engine ??= load(withJsFallback({ ...(option as LoadEngineOptions), fallback: (option as LoadEngineOptions).fallback ?? 'error' })));
}

/**
 * Loads a model from a `ChurnModel`, a model file object, or a model file path.
 * Throws `ModelFormatError` (from `parseModelFile`) for a bad file, `EngineError` when the
 * kernel cannot load.
 *
 * @example
 * const model = await loadServingModel(modelFile, { engine: engineProvider({}, loadEngine) });
 */
export async function loadServingModel(source: unknown, loader: ModelLoader): Promise<ServingModel> {
  if (isLoadedModel(source)) return explainable(source);
  const file =
    typeof source === 'string'
      ? await parseModelFile(await readModelAt(source, loader), { file: source })
      : await parseModelFile(source);
  return explainable(loadModel(await loader.engine(), file));
}

function readModelAt(path: string, loader: ModelLoader): Promise<string | Uint8Array> {
  if (loader.readModelFile === undefined) {
    throw new OptionsError('PLUGIN_OPTIONS', `model "${path}" is a path, and there is no file system here: pass the parsed model file (e.g. import model from './model.json')`);
  }
  return loader.readModelFile(path);
}

function isEngine(option: EngineOption): option is Engine {
  return typeof (option as Engine).createNetwork === 'function';
}

/** A model rather than a model file: `loadModel`'s, or one of the caller's own with `predict` and `explain`. */
function isLoadedModel(source: unknown): source is ChurnModel {
  return typeof source === 'object' && source !== null && typeof (source as ChurnModel).predict === 'function';
}
