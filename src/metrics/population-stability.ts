/**
 * The population stability index (PSI) of an observed distribution against a reference, over
 * the same bins: Σ (actual − expected) · ln(actual / expected), shares on both sides. The
 * usual reading, which the plugin and the dashboard use: below 0.1 stable, 0.1 to 0.25 worth
 * watching, above 0.25 a shift to act on (retrain, or find the broken feed).
 */

/** What a PSI says, by the usual bands. */
export type DriftBand = 'stable' | 'watch' | 'act';

/** Band limits: below `watch` stable, from `watch` to `act` watch, above `act` act. */
export const DRIFT_BANDS = { watch: 0.1, act: 0.25 } as const;

/**
 * An empty bin on either side would make the index infinite: shares are floored at this
 * (the common choice), so one empty bin adds a large but finite term.
 */
const SHARE_FLOOR = 1e-4;

/**
 * PSI of `actual` counts (any scale: they are normalised) against `expected` shares over the
 * same bins; bins empty on both sides add nothing. NaN when `actual` counts nothing.
 *
 * @example
 * populationStabilityIndex([0.5, 0.5], [50, 50]); // 0
 * populationStabilityIndex([0.5, 0.5], [90, 10]); // 0.879
 */
export function populationStabilityIndex(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let total = 0;
  for (let bin = 0; bin < actual.length; bin++) total += actual[bin]!;
  if (!(total > 0)) return NaN;
  let index = 0;
  for (let bin = 0; bin < expected.length; bin++) {
    const expectedShare = expected[bin]!;
    const actualShare = (actual[bin] ?? 0) / total;
    if (expectedShare === 0 && actualShare === 0) continue;
    const e = Math.max(expectedShare, SHARE_FLOOR);
    const a = Math.max(actualShare, SHARE_FLOOR);
    index += (a - e) * Math.log(a / e);
  }
  return index;
}

/**
 * The band of a PSI.
 *
 * @example
 * driftBand(0.18); // 'watch'
 */
export function driftBand(psi: number): DriftBand {
  return psi > DRIFT_BANDS.act ? 'act' : psi >= DRIFT_BANDS.watch ? 'watch' : 'stable';
}
