import { excerpt } from '../errors.js';
import type { CsvTable } from '../data/csv-table.js';
import { parseTimestamp } from '../events/parse-event-fields.js';
import { DEFAULT_MAX_CATEGORIES } from '../model/fit-feature-spec.js';

/**
 * A number written for people: a currency sign, a percent sign or digit-group commas
 * (`$1,200.50`, `12%`, `-€5`). Such cells are text to the CSV reader, so their column becomes
 * categories: each amount its own category, the order of amounts lost.
 */
const DECORATED_NUMBER = /^[-+]?[$€£¥]?[-+]?\d[\d,]*(\.\d+)?%?$/;
const DECORATION = /[$€£¥%,]/;

/** A day as spreadsheets write it: `01/15/2024`, `15.01.2024`, `1-15-24`. */
const SPREADSHEET_DAY = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/;

/** Share of a text column's cells that must look alike before a note says so. */
const MOST = 0.9;

/**
 * Notes on the training file's text columns that were most likely meant otherwise than the
 * trainer will read them, one line each, for the command's summary: numbers written with
 * currency, percent or thousands signs (read as categories), dates (categories that say
 * nothing about time), and columns whose every row is different, such as e-mails or names
 * (only the `DEFAULT_MAX_CATEGORIES` most frequent values are kept as categories: noise to
 * the model). Training goes on either way; the note
 * says what to change. `skip`: the target, id and excluded columns.
 *
 * @example
 * textColumnNotes(table, new Set(['churn', 'id']));
 * // ['"spend" looks like numbers written with signs ("$1,000.50"): read as categories; write plain numbers (1000.50) to use it as a number, or --exclude it']
 */
export function textColumnNotes(table: CsvTable, skip: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const column of table.columns) {
    if (skip.has(column) || table.kinds.get(column) !== 'text') continue;
    const cells: string[] = [];
    for (const record of table.records) {
      const value = record[column];
      if (typeof value === 'string' && value.trim() !== '') cells.push(value.trim());
    }
    if (cells.length === 0) continue;
    const decorated = cells.filter((cell) => DECORATION.test(cell) && DECORATED_NUMBER.test(cell.replace(/\s+/g, '')));
    if (decorated.length >= MOST * cells.length) {
      notes.push(
        `"${excerpt(column)}" looks like numbers written with signs ("${excerpt(decorated[0]!)}"): read as categories; write plain numbers (${plainNumber(decorated[0]!)}) to use it as a number, or --exclude it`,
      );
      continue;
    }
    const dates = cells.filter((cell) => SPREADSHEET_DAY.test(cell) || parseTimestamp(cell) !== undefined);
    if (dates.length >= MOST * cells.length) {
      notes.push(
        `"${excerpt(column)}" looks like dates ("${excerpt(dates[0]!)}"): read as categories, which say nothing about time; turn it into a number (days since it, as of the label date) to use it, or --exclude it`,
      );
      continue;
    }
    const distinct = new Set(cells).size;
    if (distinct > DEFAULT_MAX_CATEGORIES && distinct >= MOST * cells.length) {
      notes.push(
        `"${excerpt(column)}" has ${distinct} different values in ${cells.length} rows, like an identifier: only its ${DEFAULT_MAX_CATEGORIES} most frequent are categories, the rest one unknown value (noise to the model); pass it as --id or --exclude it`,
      );
    }
  }
  return notes;
}

/** `$1,000.50` → `1000.50`: the example of what to write instead. */
function plainNumber(cell: string): string {
  return cell.replace(/[\s$€£¥%,]/g, '');
}
