import type { CsvTable } from '../data/csv-table.js';
import type { ChurnModel } from '../model/churn-model.js';
import { openModel } from './open-model.js';
import { readLabels } from './read-labels.js';
import { readModelData } from './read-model-data.js';
import { requireBothClasses } from './require-both-classes.js';

/** A labelled file scored by a model: what `eval` and `report` start from. */
export interface ScoredFile {
  /** The loaded model; the caller disposes of it. */
  model: ChurnModel;
  table: CsvTable;
  target: string;
  labels: Uint8Array;
  probabilities: Float32Array;
}

/**
 * Opens the model, reads the labelled CSV with its feature columns checked, its
 * labels parsed and both classes required, and scores every row. The target
 * column defaults to the one the model was trained on.
 */
export async function scoreLabelledFile(modelFile: string, dataFile: string, options: { target?: string } = {}): Promise<ScoredFile> {
  const model = await openModel(modelFile);
  try {
    const target = options.target ?? model.metadata.target;
    const table = await readModelData(dataFile, model, { target });
    const labels = readLabels(table, target);
    requireBothClasses(labels, { file: dataFile, column: target });
    return { model, table, target, labels, probabilities: model.predictBatch(table.records) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
