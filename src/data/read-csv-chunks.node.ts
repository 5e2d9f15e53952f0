import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { InputError } from '../errors.js';
import type { ColumnKind } from './column-kind.js';
import type { CsvTable, CsvValue } from './csv-table.js';
import { CSV_PARSE_OPTIONS, csvSyntaxError, readHeader, readValue, requireFieldCount } from './parse-csv-text.node.js';
import { unreadableInput } from './read-csv-file.node.js';

/** A run of consecutive records of a file read in chunks. */
export interface CsvChunk extends CsvTable {
  /** 1-based number, among the file's data rows, of the chunk's first record. */
  readonly firstRow: number;
}

export interface CsvChunkOptions {
  /** Each listed column's kind; a column not listed is read as text (nothing sees the whole column to infer it). */
  kinds: ReadonlyMap<string, ColumnKind>;
  /** Records per chunk. */
  chunkRows: number;
  /** Called with the bytes of the file read so far, for a progress display. */
  onBytes?: (bytes: number) => void;
}

/**
 * Reads a CSV file a chunk of records at a time, for work done row by row (`churnkit
 * predict`): memory follows the chunk, not the file. Read whole, a 300 MB export took
 * 3.5 GB. The checks are `parseCsvText`'s, each naming the file and line: an empty file, a
 * header without data rows, empty or repeated header names, ragged rows, text or a
 * non-finite number in a numeric column, invalid CSV. Every chunk but the last has
 * `chunkRows` records; an error ends the reading where it is found, after the chunks before
 * it were given.
 *
 * @example
 * for await (const chunk of readCsvChunks('customers.csv', { kinds, chunkRows: 4096 })) score(chunk.records);
 */
export async function* readCsvChunks(file: string, options: CsvChunkOptions): AsyncGenerator<CsvChunk> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw unreadableInput(file, error);
  });
  const parser = parse(CSV_PARSE_OPTIONS);
  const source = handle.createReadStream();
  source.on('error', (error) => parser.destroy(unreadableInput(file, error)));
  source.pipe(parser);
  let columns: string[] | undefined;
  let kinds: Map<string, ColumnKind> = new Map();
  let records: Record<string, CsvValue>[] = [];
  let lines: number[] = [];
  let rowsBefore = 0;
  const chunk = (): CsvChunk => ({ file, columns: columns!, kinds, records, lines, firstRow: rowsBefore + 1 });
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      const line = info.lines;
      if (columns === undefined) {
        if (record.every((cell) => cell.trim() === '')) continue;
        columns = readHeader(record, file, line);
        kinds = new Map(columns.map((name) => [name, options.kinds.get(name) ?? 'text']));
        continue;
      }
      requireFieldCount(record, columns, file, line);
      const out = Object.create(null) as Record<string, CsvValue>;
      const row = rowsBefore + records.length + 1;
      columns.forEach((column, index) => {
        out[column] = readValue(record[index]!, kinds.get(column)!, { file, line, row, column });
      });
      records.push(out);
      lines.push(line);
      if (records.length === options.chunkRows) {
        options.onBytes?.(info.bytes);
        yield chunk();
        rowsBefore += records.length;
        records = [];
        lines = [];
      }
    }
  } catch (error) {
    throw csvSyntaxError(error, file);
  } finally {
    source.destroy();
    await handle.close().catch(() => {});
  }
  if (columns === undefined) throw new InputError('INPUT_EMPTY', 'file is empty; expected a header row and at least one data row', { file });
  if (rowsBefore + records.length === 0) throw new InputError('INPUT_NO_ROWS', 'file has a header row but no data rows', { file });
  if (records.length > 0) yield chunk();
}
