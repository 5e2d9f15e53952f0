import { OptionsError } from '../errors.js';
import { mean, sampleStd } from '../metrics/summary-statistics.js';

/** Which configuration a search keeps, and the figures behind the choice. */
export interface Selection {
  /** Index of the configuration to use. */
  chosen: number;
  /** Index of the configuration with the highest mean score. */
  best: number;
  /** Mean over folds of (best − default), paired fold by fold; 0 when the default is the best. */
  meanGain: number;
  /** Standard error of that mean: sd of the paired differences (ddof 1) / √folds. */
  standardError: number;
  /** Whether the default was kept although another configuration scored higher. */
  keptDefault: boolean;
}

/**
 * Picks a configuration from cross-validated scores (higher is better), with a
 * rule that prefers the default unless it is beaten by more than the noise.
 *
 * The best mean of many configurations is biased upwards: some of its lead over
 * the default is luck in how the folds fell. Because every configuration is
 * scored on the same folds, the lead can be measured fold by fold, and the
 * spread of those paired differences says how much of it luck could explain.
 * The best replaces the default only when its mean gain exceeds one standard
 * error of the paired differences (the one-standard-error rule of Hastie,
 * Tibshirani & Friedman, §7.10, with the default as the simple model).
 * So on data where tuning has nothing to offer, the default is kept; and when
 * a configuration wins, its expected shortfall on new data is within the
 * cross-validation's own spread.
 *
 * @example
 * // three configurations × three folds; index 0 is the default
 * chooseConfiguration([[0.90, 0.91, 0.92], [0.905, 0.915, 0.925], [0.95, 0.96, 0.94]]);
 * // { chosen: 2, best: 2, meanGain: 0.04, standardError: 0.01, keptDefault: false }
 */
export function chooseConfiguration(foldScores: readonly (readonly number[])[], defaultIndex = 0): Selection {
  const folds = foldScores[defaultIndex]?.length ?? 0;
  if (folds === 0 || foldScores.some((scores) => scores.length !== folds || scores.some((score) => !Number.isFinite(score)))) {
    throw new OptionsError('OPTIONS_BAD_VALUE', 'chooseConfiguration needs the default and every configuration scored on the same folds, with finite scores');
  }
  const means = foldScores.map(mean);
  let best = defaultIndex;
  means.forEach((value, index) => {
    if (value > means[best]!) best = index;
  });
  if (best === defaultIndex) return { chosen: defaultIndex, best, meanGain: 0, standardError: 0, keptDefault: false };
  const differences = foldScores[best]!.map((score, fold) => score - foldScores[defaultIndex]![fold]!);
  const meanGain = mean(differences);
  const standardError = sampleStd(differences) / Math.sqrt(folds);
  const beatsNoise = meanGain > standardError;
  return { chosen: beatsNoise ? best : defaultIndex, best, meanGain, standardError, keptDefault: !beatsNoise };
}
