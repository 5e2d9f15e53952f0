/**
 * Drift of live traffic against the serving model's reference distribution
 * (`metadata.reference`, docs/model-format.md): the population stability index of every input
 * column and of the score, over the last `window` customers counted (a `sample` share of
 * those scored).
 *
 * On the request path an assessment only offers its (model, record, probability) to a sampled
 * queue (`after-response-queue.ts`); after the answer, the batch is encoded by the model's own
 * feature spec and counted into fixed bins (`rolling-counts.ts`). Each model is measured
 * against its own reference: a hot-swapped model starts a fresh window, and stragglers scored
 * by the model it replaced are not counted.
 */
import { formatNumber } from '../../src/explain/readable-number.js';
import { DRIFT_BANDS, driftBand, populationStabilityIndex, type DriftBand } from '../../src/metrics/population-stability.js';
import { createInputBins, type InputBins } from '../../src/model/input-bins.js';
import { binOf, type ReferenceBins, type ReferenceDistribution } from '../../src/model/reference-distribution.js';
import type { ColumnSpec } from '../../src/model/feature-spec.js';
import { AfterResponseQueue, type SampledScores } from '../after-response-queue.js';
import type { RawRecord, ServingModel } from '../serving-model.js';
import { referenceProblem } from './reference-problem.js';
import { RollingCounts } from './rolling-counts.js';

/** The `drift` option, resolved. */
export interface DriftSettings {
  /** Customers the PSI is computed over (the most recent ones scored). */
  window: number;
  /** Share of scored customers counted, in (0, 1]. */
  sample: number;
  /** Below this many customers in the window, no PSI is given (it would be noise). */
  minObservations: number;
}

/** One bin of a distribution: its label, and the reference and live shares. */
export interface DriftBin {
  label: string;
  expected: number;
  actual: number;
}

/** The drift of one input column, or of the score. */
export interface DriftEntry {
  feature: string;
  /** `numeric`, `categorical`, `boolean`, or `score`. */
  type: ColumnSpec['type'] | 'score';
  /**
   * Customers this entry's PSI needs: `minObservations`, more for a column of more than 11
   * bins (`observationsNeeded`).
   */
  minObservations: number;
  /** null until the window holds this entry's `minObservations` customers. */
  psi: number | null;
  band: DriftBand | null;
  bins: DriftBin[];
}

/** What `GET /drift` answers and the Prometheus gauges read. */
export interface DriftReport {
  modelVersion: string;
  /** False when nothing can be measured: drift is off, or the model has no reference distribution. */
  available: boolean;
  /** Why not, when not available. */
  reason?: string;
  window: number;
  sample: number;
  minObservations: number;
  /** Customers in the window now. */
  observations: number;
  /** This model's samples dropped because counting fell behind (the buffer was full). */
  dropped: number;
  bands: { watch: number; act: number };
  score: DriftEntry | null;
  /** Every input column, the largest PSI first. */
  features: DriftEntry[];
}

export interface DriftMonitor {
  /** On the request path: one scored customer (a sample of them is counted after the answer). */
  observe(model: ServingModel, record: RawRecord, probability: number): void;
  /** The drift of `model`'s traffic so far. */
  report(model: ServingModel): DriftReport;
}

/** How many sampled customers may wait to be counted at once, at the least. */
const QUEUE_CAPACITY = 4096;

/** What is being measured: one model's bins and window. */
interface Measured {
  model: ServingModel;
  reference: ReferenceDistribution;
  inputs: InputBins;
  scoreEdges: readonly number[];
  rolling: RollingCounts;
}

/**
 * A monitor with `settings`, or one that measures nothing (`false`: the option turned off).
 * `onError` hears of a batch that failed to count (it never reaches a request). `largestBatch`
 * is the most customers one request scores (`batchLimit`): they are all offered before
 * counting has a turn, so the queue holds at least that many, or the tail of every large
 * batch would be dropped while nothing had fallen behind.
 *
 * @example
 * const drift = createDriftMonitor({ window: 5000, sample: 1, minObservations: 200 }, console.error);
 * drift.observe(model, record, 0.42);
 * drift.report(model).features[0]; // { feature: 'recency_days', psi: 0.31, band: 'act', bins: [...] }
 */
export function createDriftMonitor(settings: DriftSettings | false, onError: (error: unknown) => void, largestBatch = 1): DriftMonitor {
  if (settings === false) {
    return { observe: () => undefined, report: (model) => unavailable(model, 'drift monitoring is off (the "drift" option is false)', { window: 0, sample: 0, minObservations: 0 }, 0) };
  }
  // The model counted for, apart from `measured`: one without a reference is measured by
  // nothing, yet a request still finishing on it must not take the window from its successor.
  let counting: ServingModel | null = null;
  let measured: Measured | null = null;
  const retired = new WeakSet<ServingModel>();
  const count = (samples: SampledScores, total: number) => {
    for (let index = 0; index < total; index++) {
      const model = samples.model(index);
      if (counting !== model) {
        // A request that captured the replaced model may finish after the swap: not counted.
        if (retired.has(model)) continue;
        if (counting !== null) retired.add(counting);
        counting = model;
        measured = measure(model, settings.window);
      }
      if (measured === null) continue;
      const base = measured.rolling.base();
      measured.inputs.count(samples.record(index), measured.rolling.counts, base);
      measured.rolling.counts[base + measured.inputs.size + binOf(measured.scoreEdges, samples.probability(index))]!++;
      measured.rolling.added();
    }
  };
  const queue = new AfterResponseQueue(settings.sample, Math.max(QUEUE_CAPACITY, largestBatch), count, onError);
  // Drops are told per model, as the window is: a model swapped in does not inherit the
  // samples its predecessor lost (the queue's own count is the process's).
  let droppedOf: ServingModel | null = null;
  let dropped = 0;
  const droppedFor = (model: ServingModel) => (droppedOf === model ? dropped : 0);
  return {
    observe(model, record, probability) {
      const before = queue.dropped;
      queue.offer(model, record, probability, null, 0);
      if (queue.dropped === before) return;
      if (droppedOf !== model) {
        droppedOf = model;
        dropped = 0;
      }
      dropped++;
    },
    report(model) {
      queue.flush();
      const reference = model.metadata.reference;
      if (reference === undefined) {
        return unavailable(model, 'the serving model has no reference distribution (trained before churnkit kept one): retrain it to measure drift', settings, droppedFor(model));
      }
      const problem = referenceProblem(model.featureSpec, reference);
      if (problem !== null) return unavailable(model, `the serving model's reference distribution cannot be compared with: ${problem}; retrain it to measure drift`, settings, droppedFor(model));
      const current = measured?.model === model ? measured : null;
      return driftReport(model, reference, current?.rolling ?? null, current?.inputs ?? null, settings, droppedFor(model));
    },
  };
}

/** Bins and a window for `model`, or null when it has no reference distribution fit to measure against. */
function measure(model: ServingModel, window: number): Measured | null {
  const reference = model.metadata.reference;
  if (reference === undefined || referenceProblem(model.featureSpec, reference) !== null) return null;
  const inputs = createInputBins(model.featureSpec, reference.columns.map((column) => column.edges));
  return { model, reference, inputs, scoreEdges: reference.score.edges, rolling: new RollingCounts(inputs.size + reference.score.shares.length, window) };
}

function driftReport(
  model: ServingModel,
  reference: ReferenceDistribution,
  rolling: RollingCounts | null,
  inputs: InputBins | null,
  settings: DriftSettings,
  dropped: number,
): DriftReport {
  const observations = rolling?.observations() ?? 0;
  const columns = model.featureSpec.columns;
  const inputSize = inputs?.size ?? 0;
  const entry = (feature: string, type: DriftEntry['type'], bins: ReferenceBins, labels: string[], from: number): DriftEntry => {
    const actual = rolling === null ? new Float64Array(bins.shares.length) : rolling.totals(from, from + bins.shares.length);
    const needed = observationsNeeded(bins.shares, settings.minObservations);
    const psi = observations >= needed && observations > 0 ? populationStabilityIndex(bins.shares, actual) : null;
    return {
      feature,
      type,
      minObservations: needed,
      psi: psi === null ? null : round(psi),
      band: psi === null ? null : driftBand(psi),
      bins: labels.map((label, bin) => ({ label, expected: bins.shares[bin]!, actual: observations > 0 ? round(actual[bin]! / observations) : 0 })),
    };
  };
  const features = reference.columns.map((column, c) => entry(column.name, columns[c]!.type, column, binLabels(columns[c]!, column.edges), inputs?.offsets[c] ?? 0));
  features.sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1));
  return {
    modelVersion: model.version,
    available: true,
    ...settings,
    observations,
    dropped,
    bands: { ...DRIFT_BANDS },
    score: entry('score', 'score', reference.score, rangeLabels(reference.score.edges, 3), inputSize),
    features,
  };
}

/**
 * Bins the `minObservations` setting is meant for: a numeric column's deciles and its missing
 * cells. Over n customers an unchanged population reads a PSI of about (bins − 1)/n, bins
 * counting those the training rows fill; a column of many categories needs proportionally
 * more customers for the same noise (50 categories read about 0.25, "act", at 200).
 */
const BINS_PER_MIN_OBSERVATIONS = 11;

/** Customers a PSI over `shares` needs for the noise `minObservations` gives a column of deciles. */
function observationsNeeded(shares: readonly number[], minObservations: number): number {
  let filled = 0;
  for (const share of shares) if (share > 0) filled++;
  return Math.max(minObservations, Math.ceil((minObservations * (filled - 1)) / (BINS_PER_MIN_OBSERVATIONS - 1)));
}

function unavailable(model: ServingModel, reason: string, settings: DriftSettings, dropped: number): DriftReport {
  return { modelVersion: model.version, available: false, reason, ...settings, observations: 0, dropped, bands: { ...DRIFT_BANDS }, score: null, features: [] };
}

/** What each bin of a column holds, as a person reads it. */
function binLabels(column: ColumnSpec, edges: readonly number[]): string[] {
  switch (column.type) {
    case 'numeric':
      return [...rangeLabels(edges, 2), 'missing'];
    case 'categorical':
      return [...column.categories, 'missing or unseen'];
    case 'boolean':
      return ['false', 'true', 'missing'];
  }
}

/** Most decimals a range label is written with. */
const MAX_LABEL_DECIMALS = 6;

/**
 * "≤ a", "a – b", …, "> z", with at least `decimals` places and as many more as keep each
 * edge apart from the one before: deciles of low scores can be a ten-thousandth apart.
 */
function rangeLabels(edges: readonly number[], decimals: number): string[] {
  const written = (value: number, places: number) => formatNumber(value, Number.isInteger(value) ? 0 : places);
  let places = decimals;
  while (places < MAX_LABEL_DECIMALS && edges.some((edge, k) => k > 0 && written(edge, places) === written(edges[k - 1]!, places))) places++;
  const text = (value: number) => written(value, places);
  if (edges.length === 0) return ['all values'];
  return [`≤ ${text(edges[0]!)}`, ...edges.slice(1).map((edge, k) => `${text(edges[k]!)} – ${text(edge)}`), `> ${text(edges[edges.length - 1]!)}`];
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
