/**
 * Keeps at most `maxPoints` of a curve's points, evenly spaced by index and
 * always the first and last: a ROC curve over 20,000 distinct scores draws the
 * same at 400 points and keeps the report file small.
 *
 * @example
 * thinIndices(1000, 5); // [0, 250, 500, 749, 999]
 */
export function thinIndices(length: number, maxPoints: number): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, index) => index);
  const stride = (length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => Math.round(k * stride));
}

/** The same indices taken from each of several parallel arrays. */
export function pickIndices<T>(values: readonly T[], indices: readonly number[]): T[] {
  return indices.map((index) => values[index]!);
}
