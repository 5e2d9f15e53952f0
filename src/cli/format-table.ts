/**
 * Plain-text table for terminal summaries: columns padded to their widest cell,
 * numbers right-aligned.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells
    .map((row, rowIndex) =>
      row
        .map((cell, column) => {
          const numeric = rowIndex > 0 && typeof rows[rowIndex - 1]![column] === 'number';
          return numeric ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Integers as they are, other numbers to 4 decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
