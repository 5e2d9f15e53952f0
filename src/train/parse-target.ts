import { excerpt, InputError } from '../errors.js';

const POSITIVE = new Set(['1', 'true', 'yes', 'y']);
const NEGATIVE = new Set(['0', 'false', 'no', 'n']);

/**
 * Reads a churn label as 0 or 1. Accepts 0/1 (numbers or strings), booleans,
 * and "true"/"false", "yes"/"no" in any case with surrounding spaces.
 * Anything else is an error rather than a guess: a mislabelled row silently
 * read as 0 would bias the model without anyone noticing.
 *
 * @example
 * parseTarget('Yes', { row: 3, column: 'Churn' }); // 1
 * parseTarget(0, { row: 4, column: 'Churn' });     // 0
 */
export function parseTarget(value: unknown, where: { row?: number; column?: string } = {}): 0 | 1 {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  if (typeof value === 'string') {
    const folded = value.trim().toLowerCase();
    if (POSITIVE.has(folded)) return 1;
    if (NEGATIVE.has(folded)) return 0;
  }
  const shown = value === undefined ? 'nothing (missing)' : excerpt(JSON.stringify(value) ?? String(value));
  throw new InputError(
    'INPUT_BAD_TARGET',
    `expected a churn label 0/1, true/false or yes/no, got ${shown}`,
    where,
  );
}
