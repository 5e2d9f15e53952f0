/**
 * Cheap O(1) checks at the convenience entry points (`predictRow`, `predictBatch`,
 * `trainBatch`): a wrong length must be an `InputError`, never a read past the row.
 * The zero-copy path (`input` + `predictInput()`) deliberately has none.
 */
import { InputError } from '../errors.js';

export function checkRowLength(row: ArrayLike<number>, inputs: number, field: string): void {
  if (row.length !== inputs) {
    throw new InputError('INPUT_LENGTH', `expected ${inputs} features in one row, got ${row.length}`, { field });
  }
}

export function checkRowCount(rows: number, field: string): void {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new InputError('INPUT_ROWS', `expected a non-negative integer row count, got ${String(rows)}`, { field });
  }
}

export function checkMatrix(matrix: Float32Array, rows: number, inputs: number, field: string): void {
  checkRowCount(rows, field);
  if (matrix.length < rows * inputs) {
    throw new InputError('INPUT_LENGTH', `expected at least ${rows} rows x ${inputs} features = ${rows * inputs} floats, got ${matrix.length}`, { field });
  }
}

export function checkVector(vector: Float32Array, rows: number, field: string): void {
  if (vector.length < rows) {
    throw new InputError('INPUT_LENGTH', `expected at least ${rows} values (one per row), got ${vector.length}`, { field });
  }
}
