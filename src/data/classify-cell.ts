/**
 * What one CSV cell holds, before its column's type is known. Only plain decimal
 * and exponent notation counts as a number: `Number()` alone would also accept
 * "0x1F", "  " and "Infinity", none of which a store export means as a value.
 */
export type CellKind =
  | { kind: 'missing' }
  | { kind: 'number'; value: number }
  | { kind: 'non-finite' }
  | { kind: 'text' };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;
/** Spellings of "no value" in spreadsheet exports. "NaN" is not one: it is reported, see `CellKind`. */
const MISSING_WORDS = new Set(['', 'na', 'n/a', 'null', 'none']);

export function classifyCell(cell: string): CellKind {
  const trimmed = cell.trim();
  if (MISSING_WORDS.has(trimmed.toLowerCase())) return { kind: 'missing' };
  if (DECIMAL.test(trimmed)) {
    const value = Number(trimmed);
    // "1e400" is written like a number but overflows to Infinity.
    return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite' };
  }
  if (NON_FINITE_WORD.test(trimmed)) return { kind: 'non-finite' };
  return { kind: 'text' };
}
