import { escapeText } from '../charts/svg-text.js';

/** One cell: text, or a number already formatted and right-aligned. */
export type TableCell = string | { number: string };

/**
 * An accessible HTML table (caption, column headers with scope, the first
 * column as row headers), wrapped so it scrolls sideways on a narrow screen
 * instead of breaking the page. Every cell is escaped.
 *
 * @example
 * htmlTable('Confusion matrix', ['', 'flagged', 'not flagged'], [['churned', { number: '120' }, { number: '69' }]]);
 */
export function htmlTable(caption: string, header: readonly string[], rows: readonly (readonly TableCell[])[], options: { className?: string } = {}): string {
  const head = header.map((cell) => `<th scope="col">${escapeText(cell)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, index) => renderCell(cell, index === 0)).join('')}</tr>`)
    .join('');
  return `<div class="table-wrap"><table${options.className ? ` class="${options.className}"` : ''}><caption>${escapeText(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function renderCell(cell: TableCell, isRowHeader: boolean): string {
  if (typeof cell === 'string') return isRowHeader ? `<th scope="row">${escapeText(cell)}</th>` : `<td>${escapeText(cell)}</td>`;
  return `<td class="num">${escapeText(cell.number)}</td>`;
}
