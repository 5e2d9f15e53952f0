/** Order statistics the bench reports: quantiles over samples, medians and ranges over rounds. */

/** Linear-interpolated quantile (q in [0, 1]) of the samples; NaN-free: an empty list gives 0. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** A figure measured once per round: its median across rounds and the spread the machine gave. */
export interface RoundFigure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: readonly number[];
}

export function roundFigure(rounds: readonly number[]): RoundFigure {
  return {
    median: median(rounds),
    min: rounds.length === 0 ? 0 : Math.min(...rounds),
    max: rounds.length === 0 ? 0 : Math.max(...rounds),
    rounds: [...rounds],
  };
}

/** A figure as the tables print it: "median (min-max)", to `digits` decimals. */
export function formatFigure(figure: { median: number; min: number; max: number }, digits: number): string {
  return `${figure.median.toFixed(digits)} (${figure.min.toFixed(digits)}-${figure.max.toFixed(digits)})`;
}

/**
 * The ratio of two figures measured in the same rounds, taken round by round (the two were
 * measured moments apart, so machine drift cancels) and summarised as median and range.
 */
export function pairedRatio(numerator: RoundFigure, denominator: RoundFigure): RoundFigure {
  const rounds = Math.min(numerator.rounds.length, denominator.rounds.length);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const below = denominator.rounds[round]!;
    if (below > 0) ratios.push(numerator.rounds[round]! / below);
  }
  return roundFigure(ratios);
}

/** A least-squares slope and its 95 % confidence interval (normal approximation: many points). */
export interface SlopeFit {
  slope: number;
  low: number;
  high: number;
}

/**
 * Least-squares slope of `y` against `x`, with the 95 % interval of the slope from the
 * residuals: a slope whose interval spans zero is no evidence of growth, one driven by a
 * single step shows as a wide interval.
 */
export function fitSlope(points: readonly { x: number; y: number }[]): SlopeFit {
  const n = points.length;
  if (n < 3) return { slope: 0, low: 0, high: 0 };
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  if (variance === 0) return { slope: 0, low: 0, high: 0 };
  const slope = covariance / variance;
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((sum, p) => sum + (p.y - intercept - slope * p.x) ** 2, 0);
  const halfWidth = 1.96 * Math.sqrt(residuals / (n - 2) / variance);
  return { slope, low: slope - halfWidth, high: slope + halfWidth };
}
