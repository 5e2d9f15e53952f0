import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseCsvText } from '../../src/data/parse-csv-text.node.js';

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseCsvText', () => {
  it('converts numeric columns to numbers, empty cells to null and keeps text columns as text', () => {
    const table = parseCsvText('id,Tenure,City\n1,4,Paris\n2,,Lyon\n3,0.5, \n', 'c.csv');
    expect(table.columns).toEqual(['id', 'Tenure', 'City']);
    expect(table.kinds.get('Tenure')).toBe('numeric');
    expect(table.kinds.get('City')).toBe('text');
    expect({ ...table.records[0] }).toEqual({ id: 1, Tenure: 4, City: 'Paris' });
    expect({ ...table.records[1] }).toEqual({ id: 2, Tenure: null, City: 'Lyon' });
    expect(table.records[2]!.City).toBeNull();
    expect(table.lines).toEqual([2, 3, 4]);
  });

  it('ignores a UTF-8 byte order mark before the first header name', () => {
    const table = parseCsvText('\uFEFFChurn,Tenure\n1,3\n', 'bom.csv');
    expect(table.columns).toEqual(['Churn', 'Tenure']);
    expect(table.records[0]!.Churn).toBe(1);
  });

  it('reads Windows line endings and quoted numbers', () => {
    const table = parseCsvText('id,Spend\r\n1,"12.5"\r\n2,3\r\n', 'crlf.csv');
    expect(table.records.map((record) => record.Spend)).toEqual([12.5, 3]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('reads "NA", "N/A", "null" as missing cells of a numeric column', () => {
    const table = parseCsvText('x\n1\nNA\nnull\nn/a\n2\n', 'na.csv');
    expect(table.records.map((record) => record.x)).toEqual([1, null, null, null, 2]);
  });

  it('keeps the line number of each record when fields span lines and blank lines are skipped', () => {
    const table = parseCsvText('id,note\n1,"two\nlines"\n\n2,ok\n', 'q.csv');
    expect(table.lines).toEqual([3, 5]);
    expect(table.records[0]!.note).toBe('two\nlines');
  });

  it('rejects an empty file', () => {
    expect(errorOf(() => parseCsvText('', 'e.csv')).message).toBe('e.csv: file is empty; expected a header row and at least one data row');
    expect(errorOf(() => parseCsvText('\uFEFF\n  \n', 'e.csv')).code).toBe('INPUT_EMPTY');
  });

  it('rejects a header with no data rows', () => {
    expect(errorOf(() => parseCsvText('a,b\n', 'h.csv')).message).toBe('h.csv: file has a header row but no data rows');
  });

  it('rejects a ragged row, naming its line', () => {
    const error = errorOf(() => parseCsvText('a,b\n1,2\n3\n', 'r.csv'));
    expect(error.message).toBe('r.csv, line 3: found 1 fields but the header has 2 columns');
    expect(error.location.line).toBe(3);
  });

  it('rejects duplicate and empty header names', () => {
    expect(errorOf(() => parseCsvText('a,b,a\n1,2,3\n', 'd.csv')).message).toMatch(/^d\.csv, line 1: header names "a" twice \(columns 1 and 3\)/);
    expect(errorOf(() => parseCsvText('a,,c\n1,2,3\n', 'd.csv')).message).toMatch(/header column 2 has no name/);
  });

  it('reports text in a mostly numeric column with its file, line, row and column', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${i === 7 ? 'abc' : i * 2}`).join('\n');
    const error = errorOf(() => parseCsvText(`id,Tenure\n${rows}\n`, 'data.csv'));
    expect(error.code).toBe('INPUT_NOT_NUMERIC');
    expect(error.location).toEqual({ file: 'data.csv', line: 9, row: 8, column: 'Tenure' });
    expect(error.message).toBe(`data.csv, line 9, row 8, column "Tenure": non-numeric text 'abc' in numeric column 'Tenure' (expected a number or an empty cell)`);
  });

  it('treats a column with many text cells as categorical, not as an error', () => {
    const table = parseCsvText('tier\n1\n2\nGold\nSilver\n', 't.csv');
    expect(table.kinds.get('tier')).toBe('text');
    expect(table.records.map((record) => record.tier)).toEqual(['1', '2', 'Gold', 'Silver']);
  });

  it.each(['NaN', 'Infinity', '-inf', '1e400'])('rejects %s in a numeric column', (cell) => {
    const error = errorOf(() => parseCsvText(`x,y\n1,2\n${cell},3\n4,5\n`, 'n.csv'));
    expect(error.code).toBe('INPUT_NOT_FINITE');
    expect(error.location).toMatchObject({ row: 2, column: 'x' });
    expect(error.message).toContain(`non-finite number '${cell}' in numeric column 'x'`);
  });

  it('lets given kinds override inference, so a single text cell in a model\'s numeric column is an error', () => {
    const kinds = new Map([['Tenure', 'numeric' as const], ['Code', 'text' as const]]);
    expect(errorOf(() => parseCsvText('Tenure\nabc\n', 'm.csv', { kinds })).message).toContain(`row 1, column "Tenure": non-numeric text 'abc'`);
    expect(parseCsvText('Code\n007\n', 'm.csv', { kinds }).records[0]!.Code).toBe('007');
  });

  it('reports unclosed quotes as a CSV syntax error with the line', () => {
    const error = errorOf(() => parseCsvText('a,b\n1,"x\n', 'q.csv'));
    expect(error.code).toBe('INPUT_CSV_SYNTAX');
    expect(error.message).toMatch(/^q\.csv, line 2: not valid CSV/);
  });

  it('keeps __proto__ and constructor headers as plain keys without polluting Object.prototype', () => {
    const table = parseCsvText('__proto__,constructor,polluted\n1,2,3\n', 'p.csv');
    const record = table.records[0]!;
    expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'polluted']);
    expect(record['__proto__']).toBe(1);
    expect(record['constructor']).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(record)).toBeNull();
  });
});
