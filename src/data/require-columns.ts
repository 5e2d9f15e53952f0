import { excerpt, InputError } from '../errors.js';
import type { CsvTable } from './csv-table.js';

/** Column names shown in one message before the rest are counted instead. */
const LISTED = 8;

/**
 * Throws when the table lacks any of `names`, naming the missing ones all at
 * once (a model trained on other columns usually misses several), what they
 * were needed as, and what the file's header does have.
 *
 * @example
 * requireColumns(table, ['Tenure', 'Complain'], 'features the model was trained on');
 */
export function requireColumns(table: CsvTable, names: readonly string[], role: string): void {
  const present = new Set(table.columns);
  const missing = names.filter((name) => !present.has(name));
  if (missing.length === 0) return;
  const what = missing.length === 1 ? 'column' : `${missing.length} columns`;
  throw new InputError(
    'INPUT_MISSING_COLUMN',
    `missing ${what} ${listNames(missing)} (${role}); the header has ${listNames(table.columns)}`,
    { file: table.file, ...(missing.length === 1 ? { column: missing[0]! } : {}) },
  );
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).map((name) => `"${excerpt(name)}"`).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}
