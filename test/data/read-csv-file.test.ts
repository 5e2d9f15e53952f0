import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/data/parse-csv-text.node.js';
import { readCsvFile } from '../../src/data/read-csv-file.node.js';
import { requireColumns } from '../../src/data/require-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'churnkit-data-'));

describe('readCsvFile', () => {
  it('reads a file from disk', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'Churn,Tenure\nYes,3\nNo,\n');
    const table = await readCsvFile(file);
    expect(table.records.map((record) => ({ ...record }))).toEqual([{ Churn: 'Yes', Tenure: 3 }, { Churn: 'No', Tenure: null }]);
  });

  it('names a missing file', async () => {
    await expect(readCsvFile(join(dir, 'absent.csv'))).rejects.toThrow(/absent\.csv: file not found/);
  });

  it('names a directory given as a file', async () => {
    await expect(readCsvFile(dir)).rejects.toThrow(/is a directory, expected a CSV file/);
  });
});

describe('requireColumns', () => {
  it('lists every missing column and what the header has', async () => {
    const file = join(dir, 'cols.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const table = await readCsvFile(file);
    expect(() => requireColumns(table, ['a', 'b'], 'features the model was trained on')).not.toThrow();
    expect(() => requireColumns(table, ['a', 'Tenure', 'Complain'], 'features the model was trained on')).toThrow(
      `${file}: missing 2 columns "Tenure", "Complain" (features the model was trained on); the header has "a", "b"`,
    );
    expect(() => requireColumns(table, ['Churn'], 'the target column')).toThrow(`${file}, column "Churn": missing column "Churn" (the target column)`);
  });

  it('counts the names beyond the first eight instead of listing them all', async () => {
    const file = join(dir, 'wide.csv');
    writeFileSync(file, 'x\n1\n');
    const table = await readCsvFile(file);
    const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
    expect(() => requireColumns(table, names, 'features')).toThrow(/missing 10 columns "c0", .*"c7" and 2 more \(features\)/);
    expect(() => requireColumns(table, names.slice(0, 8), 'features')).toThrow(/missing 8 columns "c0", .*"c7" \(features\); the header has "x"$/);
  });

  it('asks whether the file is separated by semicolons when its header reads as one column holding them', () => {
    const table = parseCsvText('id;Tenure\n1;4\n', 'semi.csv');
    expect(() => requireColumns(table, ['Tenure'], 'features')).toThrow(/\(one column: is the file separated by semicolons\? churnkit reads comma-separated CSV\)$/);
    const twoColumns = parseCsvText('id;x,Tenure;y\n1,4\n', 'two.csv');
    expect(() => requireColumns(twoColumns, ['Tenure'], 'features')).toThrow(/the header has "id;x", "Tenure;y"$/);
  });
});
