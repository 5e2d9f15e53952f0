import { readFile } from 'node:fs/promises';
import { ModelFormatError } from '../errors.js';
import { loadModel, type ChurnModel } from '../model/churn-model.js';
import { parseModelFile } from '../model/model-file.js';
import { loadEngine } from '../node/index.js';

/**
 * Reads, validates and loads a model file on the fastest available engine.
 * A missing or unreadable file is a `ModelFormatError` naming it, like a corrupt one.
 */
export async function openModel(file: string): Promise<ChurnModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'model file not found' : code === 'EISDIR' ? 'is a directory, expected a model file' : `cannot read the model file (${code ?? String(error)})`;
    throw new ModelFormatError('MODEL_UNREADABLE', reason, { file, cause: error });
  }
  const parsed = await parseModelFile(text, { file });
  return loadModel(await loadEngine(), parsed);
}
