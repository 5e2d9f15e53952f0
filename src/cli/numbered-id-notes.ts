import { excerpt } from '../errors.js';
import type { CsvTable } from '../data/csv-table.js';

/**
 * A column name that reads as an identifier: `id`, `customer_id`, `user-id`, `CustomerID`,
 * `userId`. The camel-case forms are matched with their case, so `paid` or `valid` are not.
 */
const ID_NAME = /^id$|[_\s.-]id$/i;
const CAMEL_ID_NAME = /[a-z0-9](?:Id|ID)$/;

/** Share of a column's cells that must be different values before a note says so. */
const MOST = 0.9;

/**
 * Notes on the training file's numeric columns that are most likely customer ids left in by
 * a missing `--id`: named like an id, a different value in (almost) every row. The CSV reader
 * makes them numbers, so without a note they train silently, and the model learns the order
 * ids were handed out in (which tracks sign-up date, and often the label). `skip`: the target,
 * id and excluded columns.
 *
 * @example
 * numberedIdNotes(table, new Set(['Churn']));
 * // ['"CustomerID" is named like an identifier and has 4504 different values in 4504 rows: it is trained on as a number; pass it as --id or --exclude it']
 */
export function numberedIdNotes(table: CsvTable, skip: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const column of table.columns) {
    if (skip.has(column) || table.kinds.get(column) !== 'numeric') continue;
    if (!ID_NAME.test(column) && !CAMEL_ID_NAME.test(column)) continue;
    const values = table.records.map((record) => record[column]).filter((value) => value !== null);
    const distinct = new Set(values).size;
    if (values.length > 1 && distinct >= MOST * values.length) {
      notes.push(
        `"${excerpt(column)}" is named like an identifier and has ${distinct} different values in ${values.length} rows: it is trained on as a number; pass it as --id or --exclude it`,
      );
    }
  }
  return notes;
}
