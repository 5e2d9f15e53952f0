/**
 * Scoring one customer with one model: probability, band, percentile among the training
 * population, and (separately, since explaining costs more than predicting) the top
 * reasons. Synchronous and pure; the store is not involved.
 */
import { describeFeature, displaysOf, type FeatureDisplays } from '../src/explain/describe-feature.js';
import type { Contribution } from '../src/explain/explainable.js';
import { ChurnkitError, excerpt } from '../src/errors.js';
import { percentileOf } from '../src/model/percentile.js';
import { modelBandCutoffs, riskBand, type BandCutoffs, type RiskBand } from '../src/model/risk-band.js';
import type { RawRecord, Reason, ServingModel } from './serving-model.js';

export type Band = RiskBand;

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
 * scoreRecord(model, { recency_days: 40, log_orders_total: 1.2 }, undefined).reasons;
 */
export function scoreRecord(model: ServingModel, record: RawRecord | null, bands: BandCutoffs | undefined): Score {
  return { ...rateRecord(model, record, bands), reasons: topReasons(model, record) };
}

/**
 * Scores a record, or gives the population prior (the training positive rate) when
 * there is nothing known about the customer (`record` null).
 * Throws if the model returns something that is not a probability, so the caller
 * fails open instead of serving NaN.
 *
 * @example
 * rateRecord(model, { recency_days: 40, log_orders_total: 1.2 }, undefined).band; // the model's own cut-offs
 */
export function rateRecord(model: ServingModel, record: RawRecord | null, bands: BandCutoffs | undefined): Rating {
  const probability = record === null ? model.metadata.positiveRate : model.predict(record);
  if (!(probability >= 0 && probability <= 1)) {
    throw new ChurnkitError('MODEL_OUTPUT_INVALID', `model ${excerpt(model.version)} returned ${probability}, expected a probability in [0, 1]`);
  }
  return {
    probability,
    band: riskBand(probability, bandCutoffsFor(model, bands)),
    percentile: Math.round(percentileOf(model, probability) * 10) / 10,
    modelVersion: model.version,
  };
}

const cutoffsByModel = new WeakMap<ServingModel, BandCutoffs>();

/**
 * The cut-offs a model's scores are banded with: the plugin's `bands` option when given,
 * else the model's own (from its threshold, as the CLI's `predict` bands them), worked out
 * once per model.
 *
 * @example
 * bandCutoffsFor(model, undefined); // { medium: model.threshold / 2, high: model.threshold }
 */
export function bandCutoffsFor(model: ServingModel, bands: BandCutoffs | undefined): BandCutoffs {
  if (bands !== undefined) return bands;
  let cutoffs = cutoffsByModel.get(model);
  if (cutoffs === undefined) {
    cutoffs = modelBandCutoffs(model.threshold);
    cutoffsByModel.set(model, cutoffs);
  }
  return cutoffs;
}

/**
 * The three raw columns that moved this prediction most (none for the prior), each with its
 * value in the model's words. Served reasons use the midpoint attribution (`ExplainMethod`):
 * one gradient, about a prediction's cost, instead of integrated gradients' thirty; it agrees
 * with them on the top reasons most of the time (bench/RESULTS.md, "Reasons").
 * `model.explain` still gives the reference.
 *
 * @example
 * topReasons(model, record); // [{ feature: 'recency_days', value: 300, contribution: 1.31, text: '300 days without an order' }, ...]
 */
export function topReasons(model: ServingModel, record: RawRecord | null): Reason[] {
  if (record === null) return [];
  const displays = displaysOf(model.metadata);
  return model.explain(record, { top: TOP_REASONS, method: 'midpoint' }).slice(0, TOP_REASONS).map((reason) => readableReason(reason, displays));
}

function readableReason(reason: Contribution, displays: FeatureDisplays): Reason {
  const contribution = Number.isFinite(reason.contribution) ? reason.contribution : 0;
  const value = reason.value ?? null;
  return { feature: reason.feature, value, contribution, text: describeFeature(reason.feature, value, displays) };
}
