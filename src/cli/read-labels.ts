import type { CsvTable } from '../data/csv-table.js';
import { requireColumns } from '../data/require-columns.js';
import { parseTarget } from '../train/parse-target.js';
import { InputError } from '../errors.js';

/**
 * The 0/1 churn label of every row from the `target` column (0/1, true/false,
 * yes/no), with errors naming the file, line, row and column of a bad label.
 */
export function readLabels(table: CsvTable, target: string): Uint8Array {
  requireColumns(table, [target], 'the target column');
  const labels = new Uint8Array(table.records.length);
  table.records.forEach((record, index) => {
    try {
      labels[index] = parseTarget(record[target] ?? undefined);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(error.code, error.message, { file: table.file, line: table.lines[index]!, row: index + 1, column: target }, { cause: error });
    }
  });
  return labels;
}
