import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { CsvTable } from './csv-table.js';
import { parseCsvText, type CsvReadOptions } from './parse-csv-text.node.js';

/**
 * Reads a whole CSV file into records (see `parseCsvText` for what is checked).
 * Files a store exports for training fit in memory many times over; reading
 * whole keeps every error able to name its line.
 *
 * @example
 * const table = await readCsvFile('customers.csv');
 * console.log(table.columns, table.records.length);
 */
export async function readCsvFile(file: string, options: CsvReadOptions = {}): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadableInput(file, error);
  }
  return parseCsvText(text, file, options);
}

/** A file that could not be read, as the `InputError` naming it and why. */
export function unreadableInput(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a CSV file' : `cannot be read (${code ?? String(error)})`;
  return new InputError('INPUT_UNREADABLE', reason, { file }, { cause: error });
}
