import type { CsvTable, CsvValue } from './csv-table.js';

/**
 * The table without the columns `names` (which must be in it: see `requireColumns`), as if
 * the file had never had them: what `--exclude` leaves out of the features. Records stay
 * prototype-less, as the reader makes them.
 *
 * @example
 * const features = withoutColumns(table, ['email', 'notes']);
 */
export function withoutColumns(table: CsvTable, names: readonly string[]): CsvTable {
  if (names.length === 0) return table;
  const dropped = new Set(names);
  const columns = table.columns.filter((column) => !dropped.has(column));
  return {
    file: table.file,
    columns,
    kinds: new Map([...table.kinds].filter(([column]) => !dropped.has(column))),
    records: table.records.map((record) => {
      const kept: Record<string, CsvValue> = Object.create(null);
      for (const column of columns) kept[column] = record[column]!;
      return kept;
    }),
    lines: table.lines,
  };
}
