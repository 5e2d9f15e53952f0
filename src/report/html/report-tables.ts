import type { ReportData } from '../build-report.js';
import type { SegmentTable } from '../segment-table.js';
import { thinIndices } from '../thin-curve.js';
import { amount, decimal, percent } from './format.js';
import { htmlTable, type TableCell } from './html-table.js';

const num = (text: string): TableCell => ({ number: text });
/** Rows in a chart's data table: enough to read the shape, few enough to scan. */
const SAMPLE_ROWS = 11;
const TENTHS = Array.from({ length: 10 }, (_, k) => (k + 1) / 10);

export function rocTable(data: ReportData): string {
  const { roc } = data.curves;
  const rows = thinIndices(roc.thresholds.length, SAMPLE_ROWS).map((k) => [
    Number.isFinite(roc.thresholds[k]!) ? decimal(roc.thresholds[k]!) : 'nobody flagged',
    num(percent(roc.falsePositiveRate[k]!)),
    num(percent(roc.truePositiveRate[k]!)),
  ]);
  return htmlTable('ROC curve points', ['score at least', 'staying customers flagged', 'churners caught'], rows);
}

export function precisionRecallTable(data: ReportData): string {
  const curve = data.curves.precisionRecall;
  const rows = thinIndices(curve.thresholds.length, SAMPLE_ROWS).map((k) => [decimal(curve.thresholds[k]!), num(percent(curve.recall[k]!)), num(percent(curve.precision[k]!))]);
  return htmlTable('Precision-recall curve points', ['score at least', 'churners caught (recall)', 'flagged who churn (precision)'], rows);
}

export function gainTable(data: ReportData): string {
  const { gain } = data.curves;
  const steps = gain.contacted.length - 1;
  const rows = TENTHS.map((share) => {
    const k = Math.round(share * steps);
    return [percent(share, 0), num(percent(gain.churnersReached[k]!)), num(`${decimal(gain.lift[k] ?? 1, 2)}×`)];
  });
  return htmlTable('Cumulative gain and lift', ['customers contacted (top by score)', 'churners reached', 'lift'], rows);
}

export function profitTable(data: ReportData): string {
  const curve = data.curves.profit;
  const steps = curve.thresholds.length - 1;
  const rows = [0, ...TENTHS].map((threshold) => {
    const k = Math.round(threshold * steps);
    return [decimal(threshold, 1), num(amount(curve.flagged[k]!)), num(amount(curve.profit[k]!))];
  });
  return htmlTable('Expected profit by threshold', ['contact customers scoring at least', 'customers contacted', 'expected profit'], rows);
}

export function calibrationTableHtml(data: ReportData): string {
  const rows = data.metrics.calibration
    .filter((bin) => bin.count > 0)
    .map((bin) => [`${decimal(bin.lower, 1)}–${decimal(bin.upper, 1)}`, num(amount(bin.count)), num(percent(bin.meanPredicted)), num(percent(bin.observedRate))]);
  return htmlTable('Calibration by predicted probability', ['predicted', 'customers', 'mean predicted', 'observed churn rate'], rows);
}

export function histogramTable(data: ReportData): string {
  const { histogram } = data.curves;
  const rows = histogram.churned.map((churned, k) => [`${decimal(histogram.edges[k]!, 2)}–${decimal(histogram.edges[k + 1]!, 2)}`, num(amount(churned)), num(amount(histogram.retained[k]!))]);
  return htmlTable('Customers by predicted probability', ['predicted', 'churned', 'stayed'], rows);
}

export function importanceTable(data: ReportData): string {
  const rows = data.importance.columns.map((column) => [
    column.feature,
    num(decimal(column.meanAbsoluteContribution)),
    num(decimal(column.meanContribution)),
    Math.abs(column.meanContribution) < 0.01 ? 'either way' : column.meanContribution > 0 ? 'mostly toward churn' : 'mostly toward staying',
  ]);
  return htmlTable('Feature importance', ['column', 'mean |contribution|', 'mean contribution', 'usual direction'], rows);
}

export function segmentTableHtml(table: SegmentTable): string {
  const rows = table.rows.map((row) => [
    row.segment,
    num(amount(row.rows)),
    num(percent(row.share)),
    num(percent(row.churnRate)),
    num(percent(row.meanPredicted)),
    num(percent(row.flaggedShare)),
    num(row.rows > 0 ? percent(row.precision) : '—'),
    num(percent(row.recall)),
    num(row.auc === null ? '—' : decimal(row.auc)),
  ]);
  return htmlTable(
    `By ${table.column}${table.grouping === 'ranges' ? ' (quintile ranges)' : ''}`,
    [table.column, 'customers', 'share', 'churn rate', 'mean predicted', 'flagged', 'precision', 'recall', 'ROC AUC'],
    rows,
    { className: 'segments' },
  );
}

export function metricsTable(data: ReportData): string {
  const { metrics } = data;
  return htmlTable('All metrics', ['metric', 'value'], [
    ['customers', num(amount(metrics.rows))],
    ['churners', num(amount(metrics.positives))],
    ['churn rate', num(percent(metrics.positives / metrics.rows))],
    ['ROC AUC', num(decimal(metrics.auc, 4))],
    ['PR AUC (average precision)', num(decimal(metrics.pr_auc, 4))],
    ['log loss', num(decimal(metrics.logloss, 4))],
    ['Brier score', num(decimal(metrics.brier, 4))],
    ['threshold', num(decimal(metrics.threshold, 4))],
    ['accuracy', num(percent(metrics.accuracy))],
    ['precision', num(percent(metrics.precision))],
    ['recall', num(percent(metrics.recall))],
    ['F1', num(decimal(metrics.f1, 4))],
  ]);
}

export function confusionTable(data: ReportData): string {
  const { confusion, threshold } = data.metrics;
  return htmlTable(`Confusion matrix at threshold ${decimal(threshold, 4)}`, ['', 'flagged', 'not flagged'], [
    ['churned', num(amount(confusion.tp)), num(amount(confusion.fn))],
    ['stayed', num(amount(confusion.fp)), num(amount(confusion.tn))],
  ]);
}
