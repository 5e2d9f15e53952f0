import { explainable, type ExplainableChurnModel } from '../explain/explainable.js';
import { loadModel } from '../model/churn-model.js';
import { loadEngine } from '../node/index.js';
import { readModelFile } from '../node/read-model-file.js';

/**
 * Reads, validates and loads a model file on the kernel. A missing, unreadable, oversized or
 * corrupt file is a `ModelFormatError` naming it. The model explains its scores (the CLI's reasons).
 */
export async function openModel(file: string): Promise<ExplainableChurnModel> {
  const parsed = await readModelFile(file);
  return explainable(loadModel(await loadEngine(), parsed));
}
