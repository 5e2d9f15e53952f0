import { CsvError, parse } from 'csv-parse/sync';
import { excerpt, InputError } from '../errors.js';
import { classifyCell } from './classify-cell.js';
import { inferColumnKind, type ColumnKind } from './column-kind.js';
import type { CsvTable, CsvValue } from './csv-table.js';

/** How `parseCsvText` reads a file. */
export interface CsvReadOptions {
  /**
   * Kinds decided by someone who knows better than inference (a model's feature
   * spec): a text cell in a column listed as numeric is an error even if it is
   * the only cell. Columns not listed are inferred.
   */
  kinds?: ReadonlyMap<string, ColumnKind>;
}

/**
 * Parses CSV text (header row first) into records with numbers converted.
 * Rejects, naming the file and line or row and column: an empty file, a header
 * with no data rows, empty or duplicate header names, rows with a different
 * number of fields than the header, text in a numeric column, and NaN or
 * Infinity anywhere a number is expected. A leading UTF-8 BOM is ignored.
 *
 * @example
 * const table = parseCsvText('id,tenure,city\n1,4,Paris\n2,,Lyon\n', 'customers.csv');
 * table.records[1]; // { id: 2, tenure: null, city: 'Lyon' }
 */
export function parseCsvText(text: string, file: string, options: CsvReadOptions = {}): CsvTable {
  if (text.replace(/^\uFEFF/, '').trim().length === 0) {
    throw new InputError('INPUT_EMPTY', 'file is empty; expected a header row and at least one data row', { file });
  }
  const parsed = parseRows(text, file);
  const header = parsed[0]!;
  const columns = readHeader(header.record, file, header.line);
  const body = parsed.slice(1);
  if (body.length === 0) {
    throw new InputError('INPUT_NO_ROWS', 'file has a header row but no data rows', { file });
  }
  for (const { record, line } of body) requireFieldCount(record, columns, file, line);

  const kinds = new Map<string, ColumnKind>();
  columns.forEach((name, index) => {
    kinds.set(name, options.kinds?.get(name) ?? inferColumnKind(body.map(({ record }) => record[index]!)));
  });

  const records = body.map(({ record, line }, rowIndex) => {
    const out = Object.create(null) as Record<string, CsvValue>;
    columns.forEach((column, index) => {
      out[column] = readValue(record[index]!, kinds.get(column)!, { file, line, row: rowIndex + 1, column });
    });
    return out;
  });
  return { file, columns, kinds, records, lines: body.map(({ line }) => line) };
}

/** How csv-parse reads every CSV file of ours, whole or streamed: each record with the line it ended on. */
export const CSV_PARSE_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;

function parseRows(text: string, file: string): { record: string[]; line: number }[] {
  try {
    const rows = parse(text, CSV_PARSE_OPTIONS) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map(({ record, info }) => ({ record, line: info.lines }));
  } catch (error) {
    throw csvSyntaxError(error, file);
  }
}

/** csv-parse's refusal as an `InputError` naming the file and line; any other error as it is. */
export function csvSyntaxError(error: unknown, file: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  return new InputError('INPUT_CSV_SYNTAX', `not valid CSV: ${error.message}`, line === undefined ? { file } : { file, line }, { cause: error });
}

/** Throws when a data row has another number of fields than the header has columns. */
export function requireFieldCount(record: readonly string[], columns: readonly string[], file: string, line: number): void {
  if (record.length === columns.length) return;
  throw new InputError('INPUT_RAGGED_ROW', `found ${record.length} fields but the header has ${columns.length} columns`, { file, line });
}

/** The header's column names, trimmed; throws, naming the line, for an empty or a repeated name, or a file that is not text. */
export function readHeader(header: readonly string[], file: string, line: number): string[] {
  // A NUL in the header: UTF-16 without its byte-order mark, or a binary file. Read on, it would
  // be reported as a missing column or a ragged row far down the file, the encoding never said.
  if (header.some((name) => name.includes('\0'))) {
    throw new InputError('INPUT_NOT_TEXT', 'the header holds NUL bytes: the file is not UTF-8 text (UTF-16 without a byte-order mark, or not a CSV file at all); save it as "CSV UTF-8"', { file, line });
  }
  const seenAt = new Map<string, number>();
  return header.map((raw, index) => {
    const name = raw.trim();
    if (name.length === 0) {
      throw new InputError('INPUT_HEADER_EMPTY_NAME', `header column ${index + 1} has no name; every column needs one`, { file, line });
    }
    const first = seenAt.get(name);
    if (first !== undefined) {
      throw new InputError(
        'INPUT_HEADER_DUPLICATE',
        `header names "${excerpt(name)}" twice (columns ${first + 1} and ${index + 1}); column names must be unique`,
        { file, line },
      );
    }
    seenAt.set(name, index);
    return name;
  });
}

/** One cell as its column's kind reads it; throws, naming where, for text or a non-finite number in a numeric column. */
export function readValue(cell: string, kind: ColumnKind, where: { file: string; line: number; row: number; column: string }): CsvValue {
  const classified = classifyCell(cell);
  if (classified.kind === 'missing') return null;
  if (kind === 'text') return cell;
  switch (classified.kind) {
    case 'number':
      return classified.value;
    case 'non-finite':
      throw new InputError(
        'INPUT_NOT_FINITE',
        `non-finite number '${excerpt(cell.trim())}' in numeric column '${excerpt(where.column)}' (expected a finite number or an empty cell)`,
        where,
      );
    case 'text':
      throw new InputError(
        'INPUT_NOT_NUMERIC',
        `non-numeric text '${excerpt(cell.trim())}' in numeric column '${excerpt(where.column)}' (expected a number or an empty cell)`,
        where,
      );
  }
}
