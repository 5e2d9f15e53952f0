import { InputError } from '../errors.js';
import type { ModelMetadata } from './model-file.js';

/**
 * Where a churn probability falls among the training customers' scores, as a
 * percentile in [0, 100] (linear between the stored score quantiles). Lets the
 * storefront say "riskier than 93 % of customers" without shipping the training set.
 *
 * @example
 * percentileOf(model, model.predict(record)); // 93.4
 */
export function percentileOf(model: { readonly metadata: Pick<ModelMetadata, 'scoreQuantiles'> }, probability: number): number {
  if (!Number.isFinite(probability)) {
    throw new InputError('INPUT_NOT_FINITE', `expected a finite probability, got ${probability}`, { field: 'probability' });
  }
  const quantiles = model.metadata.scoreQuantiles;
  const last = quantiles.length - 1;
  if (probability < quantiles[0]!) return 0;
  if (probability >= quantiles[last]!) return 100;
  // Last quantile at or below the probability: with ties (many equal scores) the upper end of the run.
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (quantiles[middle]! <= probability) low = middle;
    else high = middle;
  }
  const span = quantiles[high]! - quantiles[low]!;
  const fraction = span > 0 ? (probability - quantiles[low]!) / span : 0;
  return ((low + fraction) / last) * 100;
}
