import type { ColumnKind } from './column-kind.js';

/** One CSV cell after reading: a finite number in numeric columns, the text otherwise, null when empty. */
export type CsvValue = string | number | null;

/** A CSV file read into raw records, with what is needed to point back at the file in errors. */
export interface CsvTable {
  /** The file as the user named it. */
  readonly file: string;
  /** Header names, in file order. */
  readonly columns: readonly string[];
  readonly kinds: ReadonlyMap<string, ColumnKind>;
  /**
   * One record per data row. Records have no prototype, so header names such as
   * `__proto__` or `constructor` are ordinary keys and cannot reach `Object.prototype`.
   */
  readonly records: readonly Record<string, CsvValue>[];
  /** 1-based file line each record ended on (quoted fields may span lines). */
  readonly lines: readonly number[];
}
