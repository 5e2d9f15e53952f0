import type { ColumnKind } from '../data/column-kind.js';
import type { CsvTable } from '../data/csv-table.js';
import { readCsvFile } from '../data/read-csv-file.node.js';
import { requireColumns } from '../data/require-columns.js';
import type { ChurnModel } from '../model/churn-model.js';

/**
 * Reads a CSV file to score with `model`: the model's feature spec decides which
 * columns are numeric (so text in one is reported with its row and column), id
 * and target columns are read as text, and every feature column must be present.
 * (`churnkit predict` reads its file in chunks instead, with the same kinds and check.)
 */
export async function readModelData(file: string, model: ChurnModel, extra: { target?: string; id?: string } = {}): Promise<CsvTable> {
  const table = await readCsvFile(file, { kinds: modelColumnKinds(model, extra) });
  requireModelColumns(table, model);
  return table;
}

/** How the model reads each column it knows: numeric features as numbers, the rest (and the id and target) as text. */
export function modelColumnKinds(model: ChurnModel, extra: { target?: string; id?: string } = {}): Map<string, ColumnKind> {
  const kinds = new Map<string, ColumnKind>();
  for (const feature of model.features) kinds.set(feature.name, feature.type === 'numeric' ? 'numeric' : 'text');
  if (extra.target !== undefined) kinds.set(extra.target, 'text');
  if (extra.id !== undefined) kinds.set(extra.id, 'text');
  return kinds;
}

/** Throws, naming them all, when the table lacks columns the model was trained on. */
export function requireModelColumns(table: CsvTable, model: ChurnModel): void {
  requireColumns(table, model.features.map((feature) => feature.name), 'features the model was trained on');
}
