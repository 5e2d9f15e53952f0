import { describe, expect, it } from 'vitest';
import { columnContributions, columnLayout } from '../../src/explain/column-contributions.js';
import { describeFeature } from '../../src/explain/describe-feature.js';
import type { FeatureSpec, NumericColumnSpec } from '../../src/model/feature-spec.js';

/** A spec of one-input numeric columns a, b, c, ...: each column's share is its one input's share. */
function specOf(...names: string[]): FeatureSpec {
  const columns = names.map((name): NumericColumnSpec => ({ name, type: 'numeric', median: 0, clipLow: -10, clipHigh: 10, mean: 0, std: 1, missingIndicator: false }));
  return { columns, categoryNormalization: { foldCase: true, aliases: [] }, inputSize: names.length, baseline: names.map(() => 0) };
}

const reasons = (shares: number[], top?: number, record: Record<string, number | boolean> = {}) =>
  columnContributions(columnLayout(specOf(...shares.map((_, i) => String.fromCharCode(97 + i)))), record, shares, top);

describe('top reasons', () => {
  it('keeps, among columns of equal |share|, the earlier one when only some fit in the top', () => {
    // a = 3, then b and c tie at 1: the top 2 are a and b (ties: the earlier column), not a and c.
    expect(reasons([3, 1, -1], 2).map((r) => r.feature)).toEqual(['a', 'b']);
  });

  it('lists tied columns in column order within the top, as the full list does', () => {
    expect(reasons([1, 2, -2], 2).map((r) => r.feature)).toEqual(['b', 'c']);
    expect(reasons([1, 2, -2]).map((r) => r.feature)).toEqual(['b', 'c', 'a']);
  });

  it('gives floor(top) reasons for a fractional top', () => {
    expect(reasons([4, 3, 2, 1], 2.5).map((r) => r.feature)).toEqual(['a', 'b']);
  });

  it('reports a non-finite share as 0, so one broken input never puts NaN or Infinity in a reason', () => {
    const listed = reasons([Number.NaN, Number.POSITIVE_INFINITY, 0.5]);
    expect(listed.map((r) => [r.feature, r.contribution])).toEqual([
      ['c', 0.5],
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('reports a NaN cell as value null (absent), and other numbers as given', () => {
    const listed = reasons([2, 1], undefined, { a: Number.NaN, b: 7 });
    expect(listed).toEqual([
      { feature: 'a', value: null, contribution: 2 },
      { feature: 'b', value: 7, contribution: 1 },
    ]);
  });

  it('reports a boolean cell and an infinite number as given: only NaN reads as absent', () => {
    const listed = reasons([2, 1], undefined, { a: true, b: Number.POSITIVE_INFINITY });
    expect(listed.map((r) => r.value)).toEqual([true, Number.POSITIVE_INFINITY]);
  });
});

describe('describeFeature without words for the feature', () => {
  it('says an absent value (undefined, as a record without the column gives it) is unknown, as it says for null', () => {
    expect(describeFeature('Tenure', undefined)).toBe('Tenure unknown');
  });
});

describe('describeFeature on a log1p scale', () => {
  it('turns a negative log1p amount back into the negative amount (sign-preserving), not into a number above -1', () => {
    // The built-in money words read any amount <= 0 as "nothing spent"; a model's own words can show the number.
    const displays = { net_spend: { label: 'net spend', scale: 'log1p' as const, decimals: 2 } };
    expect(describeFeature('net_spend', -Math.log1p(30), displays)).toBe('net spend: -30.00');
    expect(describeFeature('net_spend', Math.log1p(30), displays)).toBe('net spend: 30.00');
  });
});
