/**
 * Scoring one customer with one model: probability, band, percentile among the training
 * population, and (separately, since explaining costs more than predicting) the top
 * reasons. Synchronous and pure; the store is not involved.
 */
import { ChurnkitError, excerpt } from '../src/errors.js';
import { percentileOf } from '../src/model/percentile.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';

export type Band = 'low' | 'medium' | 'high';

/** A score without its reasons: what deciding needs. */
export interface Rating {
  probability: number;
  band: Band;
  /** Share of the training population scored at or below this probability, 0..100. */
  percentile: number;
  modelVersion: string;
}

export interface Score extends Rating {
  /** The three raw columns that moved this prediction most. */
  reasons: Reason[];
}

const TOP_REASONS = 3;

/**
 * Scores a record with its reasons (dashboards, jobs). The request path uses `rateRecord`
 * and explains only when the reasons are read.
 *
 * @example
 * scoreRecord(model, { recency_days: 40, log_orders_total: 1.2 }, { medium: 0.3, high: 0.6 }).reasons;
 */
export function scoreRecord(model: ServingModel, record: RawRecord | null, bands: { medium: number; high: number }): Score {
  return { ...rateRecord(model, record, bands), reasons: topReasons(model, record) };
}

/**
 * Scores a record, or gives the population prior (the training positive rate) when
 * there is nothing known about the customer (`record` null).
 * Throws if the model returns something that is not a probability, so the caller
 * fails open instead of serving NaN.
 *
 * @example
 * rateRecord(model, { recency_days: 40, log_orders_total: 1.2 }, { medium: 0.3, high: 0.6 }).band;
 */
export function rateRecord(model: ServingModel, record: RawRecord | null, bands: { medium: number; high: number }): Rating {
  const probability = record === null ? model.metadata.positiveRate : model.predict(record);
  if (!(probability >= 0 && probability <= 1)) {
    throw new ChurnkitError('MODEL_OUTPUT_INVALID', `model ${excerpt(model.version)} returned ${probability}, expected a probability in [0, 1]`);
  }
  return {
    probability,
    band: probability >= bands.high ? 'high' : probability >= bands.medium ? 'medium' : 'low',
    percentile: Math.round(percentileOf(model, probability) * 10) / 10,
    modelVersion: model.version,
  };
}

/**
 * The three raw columns that moved this prediction most (none for the prior).
 *
 * @example
 * topReasons(model, record); // [{ feature: 'recency_days', value: 300, contribution: 1.31 }, ...]
 */
export function topReasons(model: ServingModel, record: RawRecord | null): Reason[] {
  if (record === null) return [];
  return model.explain(record, { top: TOP_REASONS }).slice(0, TOP_REASONS).map(copyReason);
}

function copyReason(reason: Reason): Reason {
  const contribution = Number.isFinite(reason.contribution) ? reason.contribution : 0;
  return { feature: reason.feature, value: reason.value ?? null, contribution };
}
