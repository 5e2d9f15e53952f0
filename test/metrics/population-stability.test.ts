import { describe, expect, it } from 'vitest';
import { driftBand, populationStabilityIndex } from '../../src/metrics/population-stability.js';

describe('populationStabilityIndex', () => {
  it('is 0 when the live shares equal the reference, whatever the counts\' scale', () => {
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [20, 30, 50])).toBe(0);
    expect(populationStabilityIndex([0.2, 0.3, 0.5], [2, 3, 5])).toBe(0);
  });

  it('sums (actual − expected) · ln(actual / expected) over the bins', () => {
    expect(populationStabilityIndex([0.5, 0.5], [90, 10])).toBeCloseTo(0.4 * Math.log(0.9 / 0.5) + -0.4 * Math.log(0.1 / 0.5), 12);
  });

  it('stays finite when a bin is empty on one side, and ignores bins empty on both', () => {
    const oneSided = populationStabilityIndex([0.5, 0.5, 0], [50, 0, 50]);
    expect(Number.isFinite(oneSided)).toBe(true);
    expect(oneSided).toBeGreaterThan(1);
    expect(populationStabilityIndex([0.5, 0.5, 0], [5, 5, 0])).toBe(0);
  });

  it('is NaN when nothing was counted', () => {
    expect(populationStabilityIndex([0.5, 0.5], [0, 0])).toBeNaN();
  });
});

describe('driftBand', () => {
  it('reads below 0.1 as stable, 0.1 to 0.25 as watch, above 0.25 as act', () => {
    expect([0, 0.0999, 0.1, 0.25, 0.2501, 3].map(driftBand)).toEqual(['stable', 'stable', 'watch', 'watch', 'act', 'act']);
  });
});
