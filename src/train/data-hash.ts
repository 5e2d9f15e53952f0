import type { RawRecord } from '../model/feature-spec.js';
import { sha256Hex } from '../model/sha256.js';

/**
 * SHA-256 (hex) identifying a set of training rows: the sorted column names, then
 * each row's cells in that order as JSON (absent and undefined cells as null).
 * Independent of key order within records, and one sort for the whole set rather
 * than one per row. Callers that trained from a file can record the file's own
 * hash instead (`TrainOptions.dataHash`).
 */
export async function hashRows(rows: readonly RawRecord[]): Promise<string> {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const names = [...columns].sort();
  const lines = [JSON.stringify(names)];
  const cells: unknown[] = new Array(names.length);
  for (const row of rows) {
    for (let c = 0; c < names.length; c++) cells[c] = Object.hasOwn(row, names[c]!) ? row[names[c]!] : null;
    lines.push(JSON.stringify(cells));
  }
  return sha256Hex(lines.join('\n'));
}
