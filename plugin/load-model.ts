/**
 * Turning the `model` option (or a `PUT /model` body) into a serving model: a loaded
 * `ChurnModel` is used as is; a model file object or a path is parsed, validated
 * (schema and checksum) and loaded on the plugin's engine.
 */
import { readFile } from 'node:fs/promises';
import type { Engine } from '../src/engine/types.js';
import { loadModel } from '../src/model/churn-model.js';
import { parseModelFile } from '../src/model/model-file.js';
import { loadEngine } from '../src/node/index.js';
import type { ServingModel } from './serving-model.js';

/**
 * A lazily created engine shared by every model the plugin loads: the kernel is
 * instantiated once, on the first model file, never on the request path.
 */
export function engineProvider(given: Engine | undefined): () => Promise<Engine> {
  let engine: Promise<Engine> | undefined = given === undefined ? undefined : Promise.resolve(given);
  return () => (engine ??= loadEngine());
}

/**
 * Loads a model from a `ChurnModel`, a model file object, or a model file path.
 * Throws `ModelFormatError` (from `parseModelFile`) for a bad file.
 *
 * @example
 * const model = await loadServingModel('models/ecommerce.json', engineProvider(undefined));
 */
export async function loadServingModel(source: unknown, engine: () => Promise<Engine>): Promise<ServingModel> {
  if (isServingModel(source)) return source;
  const file =
    typeof source === 'string'
      ? await parseModelFile(await readFile(source, 'utf8'), { file: source })
      : await parseModelFile(source);
  return loadModel(await engine(), file);
}

function isServingModel(source: unknown): source is ServingModel {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as ServingModel).predict === 'function' &&
    typeof (source as ServingModel).explain === 'function'
  );
}
