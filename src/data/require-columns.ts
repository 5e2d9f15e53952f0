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
    `missing ${what} ${listNames(missing)} (${role}); the header has ${listNames(table.columns)}${separatorHint(table.columns)}`,
    { file: table.file, ...(missing.length === 1 ? { column: missing[0]! } : {}) },
  );
}

/** Separators of other tabular text files, by how a message names them. */
const OTHER_SEPARATORS: readonly [string, string][] = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'bars'],
];

/** A header read as one column that holds another separator: the file is most likely not comma-separated. */
function separatorHint(columns: readonly string[]): string {
  if (columns.length !== 1) return '';
  const found = OTHER_SEPARATORS.find(([separator]) => columns[0]!.includes(separator));
  return found === undefined ? '' : ` (one column: is the file separated by ${found[1]}? churnkit reads comma-separated CSV)`;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).map((name) => `"${excerpt(name)}"`).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}
