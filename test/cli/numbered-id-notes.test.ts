/** Which numeric columns `train`, `cv` and `tune` warn about as ids left in by a missing --id. */
import { describe, expect, it } from 'vitest';
import type { CsvTable } from '../../src/data/csv-table.js';
import { numberedIdNotes } from '../../src/cli/numbered-id-notes.js';

/** A table of numeric columns, each row's value given by `cell(column, row)`. */
function numericTable(columns: string[], rows: number, cell: (column: string, row: number) => number | null): CsvTable {
  const records = Array.from({ length: rows }, (_, row) => Object.fromEntries(columns.map((column) => [column, cell(column, row)])));
  return { file: 'export.csv', columns, kinds: new Map(columns.map((column) => [column, 'numeric'])), records, lines: records.map((_, row) => row + 2) };
}

describe('numbered id notes', () => {
  it.each(['id', 'ID', 'customer_id', 'user-id', 'CustomerID', 'userId'])('names "%s", a different number in every row', (column) => {
    expect(numberedIdNotes(numericTable([column], 20, (_, row) => 1000 + row), new Set())).toEqual([
      `"${column}" is named like an identifier and has 20 different values in 20 rows: it is trained on as a number; pass it as --id or --exclude it`,
    ]);
  });

  it.each(['paid', 'valid', 'PAID', 'tenure'])('leaves "%s" alone: its name is not an id', (column) => {
    expect(numberedIdNotes(numericTable([column], 20, (_, row) => row), new Set())).toEqual([]);
  });

  it('leaves alone an id-named column whose values repeat (a code, not a customer), and the columns it is told to skip', () => {
    const table = numericTable(['store_id', 'CustomerID'], 20, (column, row) => (column === 'store_id' ? row % 3 : row));
    expect(numberedIdNotes(table, new Set(['CustomerID']))).toEqual([]);
  });

  it('counts only the filled cells', () => {
    expect(numberedIdNotes(numericTable(['id'], 10, (_, row) => (row < 5 ? row : null)), new Set())).toEqual([
      '"id" is named like an identifier and has 5 different values in 5 rows: it is trained on as a number; pass it as --id or --exclude it',
    ]);
  });
});
