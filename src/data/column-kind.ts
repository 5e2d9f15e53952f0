import { classifyCell } from './classify-cell.js';

/** How a CSV column's cells are read: as finite numbers (empty → null) or kept as text. */
export type ColumnKind = 'numeric' | 'text';

/**
 * Infers a column's kind from its cells. A column is numeric when every non-empty
 * cell is a number. It is also numeric — so that the stray cells are reported as
 * errors rather than silently turning the whole column into categories — when
 * numbers are the large majority: at most one text cell in ten (and at least one
 * allowed), fewer text cells than numbers. "NaN"/"Infinity" cells count as
 * numeric-looking, so they too are reported instead of hiding a numeric column.
 */
export function inferColumnKind(cells: Iterable<string>): ColumnKind {
  let numeric = 0;
  let text = 0;
  for (const cell of cells) {
    const { kind } = classifyCell(cell);
    if (kind === 'number' || kind === 'non-finite') numeric++;
    else if (kind === 'text') text++;
  }
  if (numeric === 0) return 'text';
  const allowedText = Math.max(1, Math.floor((numeric + text) / 10));
  return text <= allowedText && text < numeric ? 'numeric' : 'text';
}
