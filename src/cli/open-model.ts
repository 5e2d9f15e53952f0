import { loadModel, type ChurnModel } from '../model/churn-model.js';
import { loadEngine } from '../node/index.js';
import { readModelFile } from '../node/read-model-file.js';

/**
 * Reads, validates and loads a model file on the kernel. A missing, unreadable, oversized or
 * corrupt file is a `ModelFormatError` naming it.
 */
export async function openModel(file: string): Promise<ChurnModel> {
  const parsed = await readModelFile(file);
  return loadModel(await loadEngine(), parsed);
}
