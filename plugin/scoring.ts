/**
 * Scoring one customer with one model: probability, band, percentile among the training
 * population, and the top reasons. Synchronous and pure; the store is not involved.
 */
import { percentileOf } from '../src/model/percentile.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';

export type Band = 'low' | 'medium' | 'high';

export interface Score {
  probability: number;
  band: Band;
  /** Share of the training population scored at or below this probability, 0..100. */
  percentile: number;
  /** The three raw columns that moved this prediction most. */
  reasons: Reason[];
  modelVersion: string;
}

const TOP_REASONS = 3;

/**
 * Scores a record, or gives the population prior (the training positive rate, no
 * reasons) when there is nothing known about the customer (`record` null).
 * Throws if the model returns something that is not a probability, so the caller
 * fails open instead of serving NaN.
 *
 * @example
 * scoreRecord(model, { recency_days: 40, log_orders_total: 1.2 }, { medium: 0.3, high: 0.6 });
 */
export function scoreRecord(model: ServingModel, record: RawRecord | null, bands: { medium: number; high: number }): Score {
  const probability = record === null ? model.metadata.positiveRate : model.predict(record);
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`model ${model.version} returned ${probability}, expected a probability in [0, 1]`);
  }
  const reasons = record === null ? [] : model.explain(record, { top: TOP_REASONS }).slice(0, TOP_REASONS).map(copyReason);
  return {
    probability,
    band: probability >= bands.high ? 'high' : probability >= bands.medium ? 'medium' : 'low',
    percentile: Math.round(percentileOf(model, probability) * 10) / 10,
    reasons,
    modelVersion: model.version,
  };
}

function copyReason(reason: Reason): Reason {
  const contribution = Number.isFinite(reason.contribution) ? reason.contribution : 0;
  return { feature: reason.feature, value: reason.value ?? null, contribution };
}
