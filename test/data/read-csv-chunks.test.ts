import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnKind } from '../../src/data/column-kind.js';
import { readCsvChunks, type CsvChunk } from '../../src/data/read-csv-chunks.node.js';

const dir = mkdtempSync(join(tmpdir(), 'churnkit-chunks-'));
const NUMERIC_TENURE = new Map<string, ColumnKind>([['Tenure', 'numeric']]);

function fileWith(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function readAll(file: string, chunkRows: number): Promise<CsvChunk[]> {
  const chunks: CsvChunk[] = [];
  for await (const chunk of readCsvChunks(file, { kinds: NUMERIC_TENURE, chunkRows })) chunks.push(chunk);
  return chunks;
}

describe('readCsvChunks', () => {
  it('gives every record once, in order, in chunks of the size asked, each knowing its first row and its lines', async () => {
    // A BOM, a quoted field across two lines and an empty line: lines are the file's, rows the records'.
    const file = fileWith('chunks.csv', '\uFEFFid,Tenure,note\n1,4,"a\nb"\n\n2,,plain\n3,7,x\n4,1,y\n5,2,z\n');
    const chunks = await readAll(file, 2);
    expect(chunks.map((chunk) => [chunk.firstRow, chunk.records.length])).toEqual([[1, 2], [3, 2], [5, 1]]);
    expect(chunks.flatMap((chunk) => chunk.records.map((record) => ({ ...record })))).toEqual([
      { id: '1', Tenure: 4, note: 'a\nb' },
      { id: '2', Tenure: null, note: 'plain' },
      { id: '3', Tenure: 7, note: 'x' },
      { id: '4', Tenure: 1, note: 'y' },
      { id: '5', Tenure: 2, note: 'z' },
    ]);
    expect(chunks.flatMap((chunk) => chunk.lines)).toEqual([3, 5, 6, 7, 8]);
    expect(chunks[0]!.columns).toEqual(['id', 'Tenure', 'note']);
  });

  it('tells onBytes how far into the file it has read at every full chunk, for a progress display', async () => {
    const text = 'id,Tenure\n1,4\n2,5\n3,6\n4,7\n5,8\n';
    const file = fileWith('progress.csv', text);
    const bytes: number[] = [];
    for await (const chunk of readCsvChunks(file, { kinds: NUMERIC_TENURE, chunkRows: 2, onBytes: (read) => bytes.push(read) })) expect(chunk.records.length).toBeGreaterThan(0);
    expect(bytes).toHaveLength(2);
    expect(bytes[0]).toBeGreaterThan(0);
    expect(bytes[1]).toBeGreaterThan(bytes[0]!);
    expect(bytes[1]).toBeLessThanOrEqual(text.length);
  });

  it('gives the chunks before a bad row, then fails naming its line and row: it never reads the whole file first', async () => {
    const file = fileWith('late.csv', 'id,Tenure\n1,4\n2,5\n3,six\n4,7\n');
    const seen: number[] = [];
    const reading = (async () => {
      for await (const chunk of readCsvChunks(file, { kinds: NUMERIC_TENURE, chunkRows: 1 })) seen.push(chunk.firstRow);
    })();
    await expect(reading).rejects.toThrow(/late\.csv, line 4, row 3, column "Tenure".*non-numeric text 'six'/);
    expect(seen).toEqual([1, 2]);
  });

  it("refuses what parseCsvText refuses, naming the file and line", async () => {
    const cases: [string, string, RegExp][] = [
      ['empty.csv', '', /file is empty/],
      ['blank.csv', '\n  \n', /file is empty/],
      ['header-only.csv', 'id,Tenure\n', /header row but no data rows/],
      ['ragged.csv', 'id,Tenure\n1,2\n3\n', /ragged\.csv, line 3.*found 1 fields but the header has 2 columns/],
      ['duplicate.csv', 'id,id\n1,2\n', /names "id" twice/],
      ['quote.csv', 'id,Tenure\n1,"2\n', /not valid CSV/],
      ['infinite.csv', 'id,Tenure\n1,Infinity\n', /non-finite number 'Infinity' in numeric column 'Tenure'/],
    ];
    for (const [name, text, message] of cases) await expect(readAll(fileWith(name, text), 10), name).rejects.toThrow(message);
    await expect(readAll(join(dir, 'absent.csv'), 10)).rejects.toThrow(/absent\.csv: file not found/);
    await expect(readAll(dir, 10)).rejects.toThrow(/is a directory, expected a CSV file/);
  });

  it('reads a column whose kind it is not told as text: nothing sees the whole column to infer it', async () => {
    const [chunk] = await readAll(fileWith('kinds.csv', 'id,Tenure,Spend\n1,4,12.5\n'), 10);
    expect({ ...chunk!.records[0] }).toEqual({ id: '1', Tenure: 4, Spend: '12.5' });
    expect(chunk!.kinds.get('Spend')).toBe('text');
  });
});
