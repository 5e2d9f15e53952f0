/**
 * Retraining from the plugin's store: the event log → point-in-time rows at several earlier
 * cut-offs → a challenger trained with churnkit's trainer → champion and challenger scored on
 * the latest fully labelled cut-off, which neither saw → the promotion decision (challenger
 * better by at least `minGain` ROC AUC). The features and labels are the batch pipeline's
 * (`computeBatchFeatures`), which the plugin's online state matches to 1e-9, so the rows are
 * what the serving model will see. docs/lifecycle.md describes the whole loop.
 */
import type { Engine } from '../engine/types.js';
import { InputError } from '../errors.js';
import { FEATURE_NAMES } from '../features/feature-definitions.js';
import { summarizeEvaluation, type EvaluationSummary } from '../metrics/evaluation-summary.js';
import type { RetentionEconomics } from '../metrics/threshold-choice.js';
import type { ChurnModel } from '../model/churn-model.js';
import type { RawRecord } from '../model/feature-spec.js';
import type { ModelFileV1 } from '../model/model-file.js';
import { train } from '../train/train.js';
import type { EpochProgress, TrainOptions } from '../train/train-options.js';
import { DEFAULT_MIN_GAIN } from './min-gain.js';
import { planCutoffs, type CutoffPlan, type CutoffPlanOptions } from './cutoff-plan.js';
import { ID_COLUMN, labelledRows, TARGET_COLUMN, type LabelledRows } from './labelled-rows.node.js';
import { storeEventColumns, type EventLogSource } from './store-event-columns.js';

export { DEFAULT_MIN_GAIN };

export interface RetrainOptions extends CutoffPlanOptions {
  engine: Engine;
  /** The serving model, scored on the evaluation cut-off beside the challenger. */
  champion: ChurnModel;
  /** Trainer settings of the challenger (as `churnkit train`'s flags give them). */
  training?: Omit<TrainOptions, 'engine' | 'target' | 'id' | 'onProgress'>;
  /** ROC AUC the challenger must gain over the champion to be promoted. Default 0.005. */
  minGain?: number;
  /** Economics for the profit figures of both evaluations. */
  economics?: RetentionEconomics;
  /** Progress: events read so far, the step under way, each training epoch. */
  onEvents?: (events: number) => void;
  onStep?: (step: string) => void;
  onEpoch?: (progress: EpochProgress) => void;
}

/** A model's evaluation on the evaluation cut-off. */
export interface ModelEvaluation {
  version: string;
  metrics: EvaluationSummary;
  probabilities: Float32Array;
}

export interface RetrainResult {
  events: number;
  customers: number;
  plan: CutoffPlan;
  /** Rows and churn rate of each training cut-off, oldest first. */
  training: { cutoffMs: number; rows: number; churnRate: number }[];
  /** The evaluation cut-off's rows and labels. */
  evaluation: LabelledRows;
  champion: ModelEvaluation;
  challenger: ModelEvaluation & { model: ChurnModel; file: ModelFileV1 };
  /** Challenger ROC AUC minus champion ROC AUC. */
  gain: number;
  minGain: number;
  /** Whether the gain reaches `minGain`. */
  promote: boolean;
}

/**
 * Retrains a challenger from a store's event log and compares it with the champion out of
 * time. The caller disposes of `result.challenger.model` and decides what promoting means
 * (a file, `PUT /churn/model`).
 *
 * @example
 * const result = await retrainFromStore(openSqliteStore({ dataDir: './data' }), {
 *   engine, champion, horizon: '90d', trainingCutoffs: 3, step: '30d' });
 * console.log(result.champion.metrics.auc, result.challenger.metrics.auc, result.promote);
 */
export async function retrainFromStore(store: EventLogSource, options: RetrainOptions): Promise<RetrainResult> {
  const minGain = options.minGain ?? DEFAULT_MIN_GAIN;
  if (!Number.isFinite(minGain)) throw new InputError('RETRAIN_MIN_GAIN', `--min-gain must be a finite number, got ${String(minGain)}`);
  requireStoreFeatures(options.champion);
  const columns = await storeEventColumns(store, options.onEvents);
  if (columns.length === 0) throw new InputError('RETRAIN_NO_EVENTS', 'the store holds no events to retrain from');
  let first = Infinity;
  let last = -Infinity;
  for (const ts of columns.ts) {
    if (ts < first) first = ts;
    if (ts > last) last = ts;
  }
  const plan = planCutoffs(first, last, options);

  options.onStep?.(`computing point-in-time rows at ${plan.training.length + 1} cut-offs`);
  const trainingRows = plan.training.map((label) => labelledRows(columns, label));
  const evaluation = labelledRows(columns, plan.evaluation);
  // The training cut-offs are trained on together: an early one may hold a handful of first
  // customers, all still buying, without making the rows of all of them one class.
  const trainingDays = trainingRows.map((rows) => isoDay(rows.cutoffMs)).join(', ');
  const trainingLabels = trainingRows.flatMap((rows) => [...rows.labels]);
  requireBothClasses(trainingLabels, `the training cut-off${trainingRows.length === 1 ? '' : 's'} ${trainingDays}`);
  requireBothClasses([...evaluation.labels], `the evaluation cut-off ${isoDay(evaluation.cutoffMs)}`);
  requireEnoughRows(trainingLabels, `the challenger would be trained on the cut-offs ${trainingDays}`, 'wait for more history, or give more --cutoffs');
  requireEnoughRows([...evaluation.labels], `the models would be compared at the cut-off ${isoDay(evaluation.cutoffMs)}`, 'wait for more customers');
  const records: RawRecord[] = trainingRows.flatMap((rows) => rows.records);

  options.onStep?.(`training the challenger on ${records.length} rows`);
  const { model, file } = await train(records, {
    ...options.training,
    engine: options.engine,
    target: TARGET_COLUMN,
    id: ID_COLUMN,
    ...(options.onEpoch ? { onProgress: options.onEpoch } : {}),
  });
  try {
    const evaluate = (scorer: ChurnModel): ModelEvaluation => {
      const probabilities = scorer.predictBatch(evaluation.records);
      return { version: scorer.version, probabilities, metrics: summarizeEvaluation(evaluation.labels, probabilities, scorer.threshold, options.economics) };
    };
    const champion = evaluate(options.champion);
    const challenger = { ...evaluate(model), model, file };
    const gain = challenger.metrics.auc - champion.metrics.auc;
    return {
      events: columns.length,
      customers: columns.customerIds.length,
      plan,
      training: trainingRows.map((rows) => ({ cutoffMs: rows.cutoffMs, rows: rows.records.length, churnRate: churnRate(rows.labels) })),
      evaluation,
      champion,
      challenger,
      gain,
      minGain,
      promote: gain >= minGain,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** A champion trained on other columns than the store's features cannot be compared on them. */
function requireStoreFeatures(champion: ChurnModel): void {
  const known = new Set<string>(FEATURE_NAMES);
  const foreign = champion.features.map((feature) => feature.name).filter((name) => !known.has(name));
  if (foreign.length > 0) {
    throw new InputError(
      'RETRAIN_CHAMPION_FEATURES',
      `the champion model reads columns the store's features do not have (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}): ` +
        'retraining compares models on the plugin\'s features (docs/events.md), so the champion must be a model trained on them',
    );
  }
}

/**
 * A challenger trained, or a promotion decided, on a handful of customers is noise that would
 * replace the serving model: below these counts the run is refused (docs/lifecycle.md).
 * 100 rows with 10 of the rarer class leave a validation part of both classes for early stopping.
 */
const MIN_RETRAIN_ROWS = 100;
const MIN_RETRAIN_ROWS_PER_CLASS = 10;

function requireEnoughRows(labels: readonly number[], what: string, advice: string): void {
  const churned = labels.reduce((sum, label) => sum + label, 0);
  const rarest = Math.min(churned, labels.length - churned);
  if (labels.length >= MIN_RETRAIN_ROWS && rarest >= MIN_RETRAIN_ROWS_PER_CLASS) return;
  throw new InputError(
    'RETRAIN_TOO_FEW_ROWS',
    `${what}: ${labels.length} customer rows, ${churned} churned and ${labels.length - churned} not; retraining needs at least ` +
      `${MIN_RETRAIN_ROWS} rows with ${MIN_RETRAIN_ROWS_PER_CLASS} of each class, so nothing was trained or promoted (${advice})`,
  );
}

function requireBothClasses(labels: readonly number[], where: string): void {
  const churned = labels.reduce((sum, label) => sum + label, 0);
  if (churned === 0 || churned === labels.length) {
    throw new InputError(
      'RETRAIN_ONE_CLASS',
      `at ${where}, ${labels.length} customer rows and ${churned === 0 ? 'none' : 'all'} of them churned: a model cannot be trained or judged on one class (check --horizon and --active)`,
    );
  }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function churnRate(labels: Uint8Array): number {
  return labels.length === 0 ? 0 : labels.reduce((sum, label) => sum + label, 0) / labels.length;
}
