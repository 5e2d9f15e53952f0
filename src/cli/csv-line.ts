/**
 * One CSV line (RFC 4180): cells holding a comma, quote, or line break are
 * quoted with inner quotes doubled. A leading `=`, `+`, `-` or `@` in a text cell
 * is prefixed with `'` so a spreadsheet opening the file does not run it as a
 * formula (CSV injection through customer ids).
 */
export function toCsvLine(cells: readonly (string | number | null)[]): string {
  return cells.map(formatCell).join(',');
}

function formatCell(cell: string | number | null): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const safe = /^[=+\-@]/.test(cell) && !/^[+-]?\d/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
