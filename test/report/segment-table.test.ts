import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { segmentTable } from '../../src/report/segment-table.js';

/** Rows with one column `x`, labels and scores made up per row. */
function table(values: RawRecord[string][], label: (row: number) => number = (row) => row % 2, score: (row: number) => number = (row) => (row % 3) / 3) {
  const records = values.map((x) => ({ x }));
  return segmentTable(records, values.map((_, row) => label(row)), values.map((_, row) => score(row)), 0.5, 'x');
}

describe('segmentTable rules', () => {
  it('lists a numeric column of 12 distinct values value by value, and cuts one of 13 into ranges', () => {
    expect(table(Array.from({ length: 24 }, (_, row) => row % 12)).grouping).toBe('values');
    expect(table(Array.from({ length: 26 }, (_, row) => row % 13)).grouping).toBe('ranges');
  });

  it('puts a value equal to a cut in the range that starts at it: ranges are "a to under b", the last one closed', () => {
    // 0 … 100: the quintile cuts are 20, 40, 60 and 80 exactly.
    const ranges = table(Array.from({ length: 101 }, (_, row) => row));
    expect(ranges.rows.map((row) => [row.segment, row.rows])).toEqual([
      ['0 to under 20', 20],
      ['20 to under 40', 20],
      ['40 to under 60', 20],
      ['60 to under 80', 20],
      ['80 to 100', 21],
    ]);
  });

  it('lists the missing cells of a numeric column after its ranges', () => {
    const ranges = table([...Array.from({ length: 30 }, (_, row) => row), null, null]);
    expect(ranges.rows.at(-1)!.segment).toBe('(missing)');
    expect(ranges.rows).toHaveLength(6);
  });

  it('keeps the 12 largest categories apart and pools the rarer ones as "(other)"', () => {
    // Category c0 … c13, c_k appearing 20 − k times: c12 and c13 are the two rarest.
    const values = Array.from({ length: 14 }, (_, k) => Array.from({ length: 20 - k }, () => `c${k}`)).flat();
    const segments = table(values).rows.map((row) => [row.segment, row.rows]);
    expect(segments).toHaveLength(13);
    expect(segments).toContainEqual(['(other)', 8 + 7]);
    expect(segments.map(([segment]) => segment)).not.toContain('c12');
  });

  it('gives each group its share of all rows, the share it flags at the threshold, and no AUC when it has one class only', () => {
    // a: 4 rows, all churned, scores 0.9 0.9 0.1 0.1; b: 4 rows, two churned, all scored 0.9 (all flagged).
    const values = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];
    const segments = table(values, (row) => (row < 4 ? 1 : row % 2), (row) => (row < 4 && row >= 2 ? 0.1 : 0.9)).rows;
    const a = segments.find((row) => row.segment === 'a')!;
    const b = segments.find((row) => row.segment === 'b')!;
    expect(a).toMatchObject({ rows: 4, share: 0.5, churnRate: 1, flaggedShare: 0.5, auc: null });
    expect(b).toMatchObject({ rows: 4, share: 0.5, churnRate: 0.5, flaggedShare: 1, precision: 0.5, auc: 0.5 });
  });
});
