import { describe, expect, it } from 'vitest';
import { inferColumnKind } from '../../src/data/column-kind.js';
import { parseCsvText } from '../../src/data/parse-csv-text.node.js';

const column = (...cells: string[]) => parseCsvText(`x\n${cells.join('\n')}\n`, 'c.csv');

describe('cells and columns of a CSV file', () => {
  it('reads a number written without its leading zero, such as .5', () => {
    expect(column('.5', '2').records.map((record) => record.x)).toEqual([0.5, 2]);
  });

  it('reads "none" as a missing cell, as it reads "NA" and "null"', () => {
    expect(column('1', 'none', 'None').records.map((record) => record.x)).toEqual([1, null, null]);
  });

  it('trims the header names', () => {
    expect(parseCsvText(' id , tenure \n1,2\n', 'h.csv').columns).toEqual(['id', 'tenure']);
  });

  it('rejects a row with more fields than the header has columns', () => {
    expect(() => parseCsvText('a,b\n1,2,3\n', 'r.csv')).toThrow(/line 2: found 3 fields but the header has 2 columns/);
  });

  it('reports a column of nothing but NaN and Infinity cells instead of reading it as text', () => {
    expect(() => column('NaN', 'Infinity')).toThrow(expect.objectContaining({ code: 'INPUT_NOT_FINITE' }));
  });
});

describe('inferColumnKind', () => {
  it('allows one stray text cell among a few numbers, so it is reported rather than hiding a numeric column', () => {
    expect(inferColumnKind(['1', '2', 'x'])).toBe('numeric');
  });

  it('allows one text cell in ten: 8 numbers and 2 text cells are a text column', () => {
    expect(inferColumnKind(['1', '2', '3', '4', '5', '6', '7', '8', 'a', 'b'])).toBe('text');
    expect(inferColumnKind(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a'])).toBe('numeric');
  });

  it('reads one number beside one text cell as text: text cells must be fewer than numbers', () => {
    expect(inferColumnKind(['1', 'x'])).toBe('text');
  });
});
