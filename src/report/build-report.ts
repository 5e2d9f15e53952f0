import { summarizeEvaluation, type EvaluationSummary } from '../metrics/evaluation-summary.js';
import { gainCurve, type GainCurve } from '../metrics/gain-curve.js';
import { precisionRecallCurve, type PrecisionRecallCurve } from '../metrics/precision-recall-curve.js';
import { profitCurve, type ProfitCurve } from '../metrics/profit-curve.js';
import { rocCurve, type RocCurve } from '../metrics/roc-curve.js';
import { scoreHistogram, type ScoreHistogram } from '../metrics/score-histogram.js';
import type { RetentionEconomics } from '../metrics/threshold-choice.js';
import type { ChurnModel } from '../model/churn-model.js';
import type { RawRecord } from '../model/feature-spec.js';
import { globalImportance, type GlobalImportance, type GlobalImportanceOptions } from './feature-importance.js';
import { segmentTable, type SegmentTable } from './segment-table.js';
import { pickIndices, thinIndices } from './thin-curve.js';

/** Where the scores in a report come from. */
export interface ReportSource {
  /** The model file's name as the user gave it. */
  model: string;
  /** The data file's name as the user gave it. */
  data: string;
  /**
   * 'held-out': the model scored a file it was not trained on (`churnkit report`).
   * 'out-of-fold': each row was scored by a cross-validation model that did not see it (`churnkit tune`).
   */
  scoring: 'held-out' | 'out-of-fold';
}

/** Everything `buildReport` needs. */
export interface ReportInput {
  model: ChurnModel;
  records: readonly RawRecord[];
  /** 0/1 outcome per record. */
  labels: ArrayLike<number>;
  /** Churn probability per record (the model's, or out-of-fold ones). */
  probabilities: ArrayLike<number>;
  /** The economics of a retention action, for the profit curve. */
  economics: RetentionEconomics;
  /** Columns to break the evaluation down by. */
  segments?: readonly string[];
  importance?: GlobalImportanceOptions;
  source: ReportSource;
  /** ISO timestamp shown in the report (default: now). */
  generatedAt?: string;
}

/** The model as the report describes it. */
export interface ReportModel {
  version: string;
  kind: 'logreg' | 'mlp';
  /** Inputs and layer widths, e.g. "42 → 64 → 32 → 1". */
  layers: string;
  target: string;
  trainedAt: string;
  trainingRows: number;
  threshold: number;
}

/** Every number behind a report: `churnkit report --json` prints it, the HTML draws it. */
export interface ReportData {
  generatedAt: string;
  source: ReportSource;
  model: ReportModel;
  /** Exactly `churnkit eval --json`'s object for the same file and economics. */
  metrics: EvaluationSummary & { profit: NonNullable<EvaluationSummary['profit']> };
  curves: {
    roc: RocCurve;
    precisionRecall: PrecisionRecallCurve;
    gain: GainCurve;
    profit: ProfitCurve;
    histogram: ScoreHistogram;
  };
  importance: GlobalImportance;
  segments: SegmentTable[];
}

/** Points kept per ROC and PR curve. */
const CURVE_POINTS = 400;

/**
 * Computes a model report: the same headline evaluation as `churnkit eval`
 * (`summarizeEvaluation`), the curves behind it, global feature importance
 * from the model's explanations and tables by segment. Runtime-neutral: the
 * CLI, the tuner and (later) the plugin's dashboard render the same data.
 *
 * @example
 * const data = buildReport({ model, records, labels, probabilities: model.predictBatch(records),
 *   economics: { actionCost: 10, retainedValue: 100, successRate: 0.3 }, segments: ['CityTier'],
 *   source: { model: 'churn.json', data: 'test.csv', scoring: 'held-out' } });
 * const html = renderReportHtml(data);
 */
export function buildReport(input: ReportInput): ReportData {
  const { model, labels, probabilities, economics } = input;
  const summary = summarizeEvaluation(labels, probabilities, model.threshold, economics);
  const file = model.toFile();
  return {
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    source: input.source,
    model: {
      version: model.version,
      kind: file.architecture.kind,
      layers: [file.architecture.inputs, ...file.architecture.layers.map((layer) => layer.units)].join(' → '),
      target: model.metadata.target,
      trainedAt: model.metadata.trainedAt,
      trainingRows: model.metadata.rows,
      threshold: model.threshold,
    },
    metrics: { ...summary, profit: summary.profit! },
    curves: {
      roc: thinRoc(rocCurve(labels, probabilities)),
      precisionRecall: thinPrecisionRecall(precisionRecallCurve(labels, probabilities)),
      gain: gainCurve(labels, probabilities),
      profit: profitCurve(labels, probabilities, economics),
      histogram: scoreHistogram(labels, probabilities),
    },
    importance: globalImportance(model, input.records, input.importance),
    segments: (input.segments ?? []).map((column) => segmentTable(input.records, labels, probabilities, model.threshold, column, model.featureSpec)),
  };
}

function thinRoc(curve: RocCurve): RocCurve {
  const keep = thinIndices(curve.thresholds.length, CURVE_POINTS);
  return { falsePositiveRate: pickIndices(curve.falsePositiveRate, keep), truePositiveRate: pickIndices(curve.truePositiveRate, keep), thresholds: pickIndices(curve.thresholds, keep) };
}

function thinPrecisionRecall(curve: PrecisionRecallCurve): PrecisionRecallCurve {
  const keep = thinIndices(curve.thresholds.length, CURVE_POINTS);
  return { recall: pickIndices(curve.recall, keep), precision: pickIndices(curve.precision, keep), thresholds: pickIndices(curve.thresholds, keep), baseRate: curve.baseRate };
}
