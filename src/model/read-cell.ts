/**
 * Reading one raw cell as a number, a boolean or a category string. Everything a
 * store might send (empty strings, "N/A", objects, NaN, Infinity) is either read
 * or reported as missing; nothing here throws.
 */

/** Spellings of "no value" seen in exported spreadsheets (compared lower-case, trimmed). */
const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '?', '-']);
/** Longer strings cannot be a token even with some padding: skip the allocating trim/lower-case. */
const LONGEST_PADDED_TOKEN = 8;

/** True for cells that carry no value: null, undefined, empty and the usual "N/A" spellings. */
export function isMissingCell(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') {
    return value.length === 0 || (value.length <= LONGEST_PADDED_TOKEN && MISSING_TOKENS.has(value.trim().toLowerCase()));
  }
  if (typeof value === 'number') return Number.isNaN(value);
  return false;
}

/** The cell as a finite number, or NaN when it is missing or not a finite number. */
export function readNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') {
    if (value.length === 0) return NaN;
    const parsed = Number(value);
    // Number('  ') is 0: a blank cell must stay missing.
    if (parsed === 0 && value.trim().length === 0) return NaN;
    return Number.isFinite(parsed) ? parsed : NaN;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return NaN;
}

const TRUE_SPELLINGS = new Set(['true', 'yes', 'y', '1']);
const FALSE_SPELLINGS = new Set(['false', 'no', 'n', '0']);

/** The cell as 1 (true) or 0 (false), or NaN when it is neither. */
export function readBoolean(value: unknown): number {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (typeof value === 'string' && value.length <= LONGEST_PADDED_TOKEN) {
    const folded = value.trim().toLowerCase();
    if (TRUE_SPELLINGS.has(folded)) return 1;
    if (FALSE_SPELLINGS.has(folded)) return 0;
  }
  return NaN;
}

/** True for the word spellings of a boolean ("true", "No", ...), not for digits. */
export function isBooleanWord(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value !== 'string' || value.length > LONGEST_PADDED_TOKEN) return false;
  const folded = value.trim().toLowerCase();
  return folded.length > 1 && (TRUE_SPELLINGS.has(folded) || FALSE_SPELLINGS.has(folded));
}

/** The cell as a category string, or undefined when it is missing or not a scalar. */
export function readCategory(value: unknown): string | undefined {
  if (typeof value === 'string') return isMissingCell(value) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}
