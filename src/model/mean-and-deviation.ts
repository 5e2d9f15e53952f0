/**
 * Mean and population standard deviation of a column, stable whatever its offset or scale. The
 * textbook one-pass `Σx²/n − mean²` subtracts two numbers near mean² and keeps only their
 * rounding error: a column around 1e10 with a true deviation of 14.4 came out as 0 (so std 1).
 * Here the values are shifted by one of them (`shift`, e.g. the median: differences between
 * nearby doubles are exact) and divided by their largest distance from it, so every sum stays
 * within ±n whatever the magnitudes; then two passes take the mean and the squared deviations
 * from it. Values must lie within ±Number.MAX_VALUE/2, so that no difference overflows.
 *
 * @example
 * ```ts
 * meanAndDeviation(Float64Array.of(1e10 + 1, 1e10 + 2, 1e10 + 3), 1e10 + 2); // { mean: 1e10 + 2, std: 0.816... }
 * ```
 */
export function meanAndDeviation(values: Float64Array, shift: number): { mean: number; std: number } {
  const count = values.length;
  let scale = 0;
  for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(values[i]! - shift));
  if (count === 0 || scale === 0) return { mean: shift, std: 0 };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += (values[i]! - shift) / scale;
  const scaledMean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    const deviation = (values[i]! - shift) / scale - scaledMean;
    squares += deviation * deviation;
  }
  return { mean: shift + scaledMean * scale, std: Math.sqrt(squares / count) * scale };
}
