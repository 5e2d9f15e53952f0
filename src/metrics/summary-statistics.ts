/**
 * Mean and spread of a handful of figures, such as one metric over
 * cross-validation folds. Two spreads because they answer two questions: the
 * population standard deviation (ddof 0, numpy's default) describes the folds
 * themselves, as `churnkit cv` reports them; the sample standard deviation
 * (ddof 1) estimates the spread of the process the folds were drawn from, which
 * is what a standard error needs.
 */

/**
 * @example
 * mean([0.9, 0.8]); // 0.85
 */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Standard deviation around the mean, dividing by n (ddof 0).
 *
 * @example
 * populationStd([1, 3]); // 1
 */
export function populationStd(values: readonly number[]): number {
  return Math.sqrt(sumOfSquaredDeviations(values) / values.length);
}

/**
 * Standard deviation dividing by n − 1 (ddof 1); 0 for fewer than two values.
 *
 * @example
 * sampleStd([1, 3]); // 1.414…
 */
export function sampleStd(values: readonly number[]): number {
  return values.length < 2 ? 0 : Math.sqrt(sumOfSquaredDeviations(values) / (values.length - 1));
}

function sumOfSquaredDeviations(values: readonly number[]): number {
  const centre = mean(values);
  return values.reduce((sum, value) => sum + (value - centre) ** 2, 0);
}
