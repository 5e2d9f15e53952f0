/**
 * Which numbers a numeric feature column may hold when a model is fitted on it: finite ones
 * within ±Number.MAX_VALUE/2 (8.99e307), the range in which the difference of any two is still
 * a double, so that the quantiles, mean, deviation and encoding of the column cannot overflow.
 * 1e308 (an overflow sentinel) or an infinity used to pass, and fitting on it broke the model
 * file after training: the mean overflowed to Infinity, which JSON writes as null. Refusing it
 * before training names the column and the value; scoring still clips such values, as any outlier.
 */
import { excerpt } from '../errors.js';

/** The largest magnitude a training value of a numeric feature may have: half the largest double. */
export const LARGEST_FEATURE_MAGNITUDE = Number.MAX_VALUE / 2;

/**
 * Why a training cell cannot be a numeric feature value, or undefined when it can (or when it
 * is not a number at all: missing cells and text are the encoder's business).
 *
 * @example
 * ```ts
 * unusableFeatureNumber(1e308); // 'value 1e+308 is beyond ±8.99e+307, ...'
 * unusableFeatureNumber('Infinity'); // 'value "Infinity" is not a finite number, ...'
 * ```
 */
export function unusableFeatureNumber(cell: unknown): string | undefined {
  const number = typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() !== '' ? Number(cell) : Number.NaN;
  if (number !== number) return undefined;
  const shown = typeof cell === 'string' ? `"${excerpt(cell.trim())}"` : String(cell);
  if (!Number.isFinite(number)) return `value ${shown} is not a finite number; training data must hold finite numbers (or nothing) in a numeric column`;
  if (Math.abs(number) > LARGEST_FEATURE_MAGNITUDE) {
    return `value ${shown} is beyond ±${LARGEST_FEATURE_MAGNITUDE.toPrecision(3)} (half the largest double), where a column's range would overflow: an overflow sentinel rather than a measurement; rescale the column or leave it out`;
  }
  return undefined;
}
