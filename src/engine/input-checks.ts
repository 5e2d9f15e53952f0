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

/**
 * Training targets must be probabilities and sample weights non-negative and finite: one NaN
 * label would turn every parameter into NaN at the next step. O(rows), beside O(rows x parameters) of training.
 */
export function checkTrainingRows(labels: Float32Array, sampleWeights: Float32Array, rows: number): void {
  checkVector(labels, rows, 'labels');
  checkVector(sampleWeights, rows, 'sampleWeights');
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    if (!(label >= 0 && label <= 1)) {
      throw new InputError('INPUT_LABEL', `expected a label in [0, 1], got ${label}`, { row: r + 1, field: 'labels' });
    }
    const weight = sampleWeights[r]!;
    if (!(weight >= 0 && weight < Infinity)) {
      throw new InputError('INPUT_WEIGHT', `expected a finite, non-negative sample weight, got ${weight}`, { row: r + 1, field: 'sampleWeights' });
    }
  }
}

/** Parameters come from model files and trainers; a NaN or Infinity among them would poison every prediction. */
export function checkParameters(parameters: ArrayLike<number>, count: number): void {
  if (parameters.length < count) {
    throw new InputError('INPUT_LENGTH', `expected ${count} parameters, got ${parameters.length}`, { field: 'parameters' });
  }
  for (let p = 0; p < count; p++) {
    if (!Number.isFinite(parameters[p]!)) {
      throw new InputError('INPUT_PARAMETER', `expected finite parameters, got ${parameters[p]} at index ${p}`, { field: 'parameters' });
    }
  }
}

/** The zero-copy batch holds `capacity` rows; asking for more would read rows nobody wrote. */
export function checkBatchInputRows(rows: number, capacity: number): void {
  checkRowCount(rows, 'rows');
  if (rows > capacity) {
    throw new InputError('INPUT_ROWS', `batchInput holds ${capacity} rows, asked to predict ${rows} (create the network with a larger maxBatch, or use predictBatch)`, { field: 'rows' });
  }
}
