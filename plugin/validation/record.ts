/**
 * Checking a request's raw record against the model that will score it: every column
 * must be one of the model's features, with a cell of that feature's type. A string
 * such as "NaN" or "12" in a numeric column is refused rather than guessed at.
 */
import { excerpt, InputError } from '../../src/errors.js';
import type { RawRecord, ServingModel } from '../serving-model.js';

/**
 * Throws an `InputError` naming `${fieldPrefix}.${column}` for the first bad cell.
 *
 * @example
 * checkRecord({ Tenure: 'NaN' }, model, 'record');
 * // InputError: field "record.Tenure": expected a finite number or null for numeric feature "Tenure", got "NaN"
 */
export function checkRecord(record: RawRecord, model: ServingModel, fieldPrefix: string): void {
  for (const [column, cell] of Object.entries(record)) {
    const field = `${fieldPrefix}.${column}`;
    const feature = model.features.find((candidate) => candidate.name === column);
    if (feature === undefined) {
      throw new InputError('UNKNOWN_FEATURE', `"${excerpt(column)}" is not a feature of model ${excerpt(model.version)}`, { field });
    }
    if (cell === null || cell === undefined) continue;
    const expected = expectedCell(feature.type, cell);
    if (expected !== null) {
      throw new InputError(
        'INVALID_FEATURE_VALUE',
        `expected ${expected} for ${feature.type} feature "${excerpt(column)}", got ${excerpt(JSON.stringify(cell))}`,
        { field },
      );
    }
  }
}

function expectedCell(type: 'numeric' | 'categorical' | 'boolean', cell: string | number | boolean): string | null {
  switch (type) {
    case 'numeric':
      return typeof cell === 'number' && Number.isFinite(cell) ? null : 'a finite number or null';
    case 'boolean':
      return typeof cell === 'boolean' || cell === 0 || cell === 1 ? null : 'true, false, 0, 1 or null';
    case 'categorical':
      return typeof cell === 'string' || (typeof cell === 'number' && Number.isFinite(cell)) ? null : 'text, a number or null';
  }
}
