/**
 * Quantile of ascending-sorted values with linear interpolation between the
 * neighbouring order statistics (the "type 7" rule of R and NumPy's default),
 * so fitted medians and clip bounds match what analysts compute elsewhere.
 * Returns NaN for an empty input; callers decide what an empty column means.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, probability: number): number {
  const count = sorted.length;
  if (count === 0) return NaN;
  const position = (count - 1) * Math.min(Math.max(probability, 0), 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, count - 1);
  const fraction = position - below;
  return sorted[below]! + (sorted[above]! - sorted[below]!) * fraction;
}
