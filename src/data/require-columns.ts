import { InputError } from '../errors.js';
import type { CsvTable } from './csv-table.js';

/**
 * Throws when the table lacks any of `names`, listing all the missing ones at
 * once (a model trained on other columns usually misses several) and what the
 * file does have.
 *
 * @example
 * requireColumns(table, ['Tenure', 'Complain'], 'the model needs');
 */
export function requireColumns(table: CsvTable, names: readonly string[], purpose: string): void {
  const present = new Set(table.columns);
  const missing = names.filter((name) => !present.has(name));
  if (missing.length === 0) return;
  const listed = missing.map((name) => `"${name}"`).join(', ');
  throw new InputError(
    'INPUT_MISSING_COLUMN',
    `missing column${missing.length > 1 ? 's' : ''} ${listed} that ${purpose}; the header has ${table.columns.map((name) => `"${name}"`).join(', ')}`,
    { file: table.file, ...(missing.length === 1 ? { column: missing[0]! } : {}) },
  );
}
