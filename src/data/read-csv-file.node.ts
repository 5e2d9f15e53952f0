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
  return parseCsvText(decodeCsvBytes(await readInputBytes(file)), file, options);
}

/**
 * The bytes of an input file, or the `InputError` naming it. A caller that needs both the
 * table and the bytes (a hash of the data) reads them once with this: `--data <(zcat x.gz)` or
 * a named pipe can be read only once, and a second read hangs or sees nothing.
 *
 * @example
 * const bytes = await readInputBytes('customers.csv');
 * const table = parseCsvText(decodeCsvBytes(bytes), 'customers.csv');
 */
export async function readInputBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw unreadableInput(file, error);
  }
}

/**
 * The text of a CSV file's bytes: UTF-8, or UTF-16 little-endian when the file starts with its
 * byte-order mark (Excel's "Unicode text", PowerShell's default), as the chunked reader
 * (`churnkit predict`) reads it too. Anything else with NUL bytes is refused by `readHeader`.
 */
export function decodeCsvBytes(bytes: Buffer): string {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? new TextDecoder('utf-16le').decode(bytes) : bytes.toString('utf8');
}

/** A file that could not be read, as the `InputError` naming it and why. */
export function unreadableInput(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a CSV file' : `cannot be read (${code ?? String(error)})`;
  return new InputError('INPUT_UNREADABLE', reason, { file }, { cause: error });
}
