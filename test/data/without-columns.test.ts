import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/data/parse-csv-text.node.js';
import { withoutColumns } from '../../src/data/without-columns.js';

describe('withoutColumns', () => {
  it('leaves the named columns out of the columns, the kinds and every record, as if the file had never had them', () => {
    const table = parseCsvText('id,email,Tenure\n1,a@x.org,4\n2,b@x.org,\n', 'c.csv');
    const features = withoutColumns(table, ['email']);
    expect(features.columns).toEqual(['id', 'Tenure']);
    expect([...features.kinds.keys()]).toEqual(['id', 'Tenure']);
    expect(features.records.map((record) => ({ ...record }))).toEqual([
      { id: 1, Tenure: 4 },
      { id: 2, Tenure: null },
    ]);
    expect(Object.getPrototypeOf(features.records[0])).toBeNull();
    expect(features.lines).toEqual(table.lines);
  });
});
