import type { ReportData } from '../build-report.js';
import type { ActionUpliftCurves } from '../uplift-curves.js';
import { renderRankedBarChart } from '../charts/ranked-bar-chart.js';
import { renderXyChart } from '../charts/xy-chart.js';
import { amount, decimal, percent } from './format.js';
import { PALETTE } from './palette.js';

const share = (value: number) => `${Math.round(value * 100)}\u00a0%`;

/** ROC curve with the diagonal of a random ranking and the model's threshold marked. */
export function rocChart(data: ReportData): string {
  const { roc } = data.curves;
  const { metrics } = data;
  const threshold = thresholdPoint(data);
  return renderXyChart({
    id: 'chart-roc',
    title: 'ROC curve',
    description: `ROC AUC ${decimal(metrics.auc)}: a churner picked at random scores above a staying customer picked at random ${percent(metrics.auc)} of the time (50 % is guessing). At the model's threshold it catches ${percent(metrics.recall)} of churners while flagging ${percent(threshold.falsePositiveRate)} of customers who stay.`,
    x: { label: 'Staying customers flagged (false positive rate)', domain: [0, 1], format: share },
    y: { label: 'Churners caught (recall)', domain: [0, 1], format: share },
    series: [
      { kind: 'line', name: 'Random ranking', x: [0, 1], y: [0, 1], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: `Model (AUC ${decimal(metrics.auc)})`, x: roc.falsePositiveRate, y: roc.truePositiveRate, color: PALETTE.model },
    ],
    markers: [{ x: threshold.falsePositiveRate, y: metrics.recall, label: `Threshold ${decimal(metrics.threshold)}`, color: PALETTE.churned }],
  });
}

/** Precision-recall curve (steps) with the churn rate as the random baseline. */
export function precisionRecallChart(data: ReportData): string {
  const { precisionRecall } = data.curves;
  const { metrics } = data;
  return renderXyChart({
    id: 'chart-pr',
    title: 'Precision-recall curve',
    description: `PR AUC (average precision) ${decimal(metrics.pr_auc)}, against ${percent(precisionRecall.baseRate)} for contacting customers at random. At the model's threshold, ${percent(metrics.precision)} of flagged customers are churners and ${percent(metrics.recall)} of churners are flagged.`,
    x: { label: 'Churners caught (recall)', domain: [0, 1], format: share },
    y: { label: 'Flagged who churn (precision)', domain: [0, 1], format: share },
    series: [
      { kind: 'line', name: `Random (churn rate ${percent(precisionRecall.baseRate)})`, x: [0, 1], y: [precisionRecall.baseRate, precisionRecall.baseRate], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: `Model (PR AUC ${decimal(metrics.pr_auc)})`, x: precisionRecall.recall, y: precisionRecall.precision, color: PALETTE.model, step: true },
    ],
    markers: [{ x: metrics.recall, y: metrics.precision, label: `Threshold ${decimal(metrics.threshold)}`, color: PALETTE.churned }],
  });
}

/** Reliability diagram: mean prediction against observed churn per probability bin. */
export function calibrationChart(data: ReportData): string {
  const bins = data.metrics.calibration.filter((bin) => bin.count > 0);
  const worst = bins.reduce((gap, bin) => Math.max(gap, Math.abs(bin.meanPredicted - bin.observedRate)), 0);
  return renderXyChart({
    id: 'chart-calibration',
    title: 'Calibration (reliability diagram)',
    description: `Each point is a group of customers with similar predictions: predicted churn probability against the share that actually churned. On the diagonal, a prediction of 30 % means 3 in 10 churn. The largest gap over ${bins.length} groups is ${percent(worst)}; Brier score ${decimal(data.metrics.brier, 4)}.`,
    x: { label: 'Mean predicted churn probability', domain: [0, 1], format: share },
    y: { label: 'Observed churn rate', domain: [0, 1], format: share },
    series: [
      { kind: 'line', name: 'Perfect calibration', x: [0, 1], y: [0, 1], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: 'Model', x: bins.map((bin) => bin.meanPredicted), y: bins.map((bin) => bin.observedRate), color: PALETTE.model, points: true },
    ],
  });
}

/** Cumulative gain: share of churners reached by contacting the top share of customers. */
export function gainChart(data: ReportData): string {
  const { gain } = data.curves;
  const rate = data.metrics.positives / data.metrics.rows;
  const at20 = gain.churnersReached[Math.round((gain.contacted.length - 1) * 0.2)] ?? 0;
  return renderXyChart({
    id: 'chart-gain',
    title: 'Cumulative gain',
    description: `Contacting customers from the highest score down: the top 20 % reach ${percent(at20)} of all churners (a random 20 % would reach 20 %). A perfect model would reach every churner after contacting ${percent(rate)} of customers.`,
    x: { label: 'Customers contacted, highest score first', domain: [0, 1], format: share },
    y: { label: 'Churners reached', domain: [0, 1], format: share },
    series: [
      { kind: 'line', name: 'Random order', x: [0, 1], y: [0, 1], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: 'Perfect model', x: [0, rate, 1], y: [0, 1, 1], color: PALETTE.accent, stroke: 'dotted' },
      { kind: 'line', name: 'Model', x: gain.contacted, y: gain.churnersReached, color: PALETTE.model },
    ],
  });
}

/** Lift: how many times more churners than a random selection of the same size. */
export function liftChart(data: ReportData): string {
  const { gain } = data.curves;
  const at10 = gain.lift[Math.round((gain.contacted.length - 1) * 0.1)] ?? 1;
  return renderXyChart({
    id: 'chart-lift',
    title: 'Lift',
    description: `Among the top 10 % of customers by score there are ${decimal(at10, 1)} times as many churners as in a random 10 %. Lift falls to 1 as the selection grows to everyone.`,
    x: { label: 'Customers contacted, highest score first', domain: [0, 1], format: share },
    y: { label: 'Lift over random (×)', format: (value) => `${value}×` },
    series: [
      { kind: 'line', name: 'Random order (lift 1)', x: [0, 1], y: [1, 1], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: 'Model', x: gain.contacted, y: gain.lift, color: PALETTE.model },
    ],
  });
}

/** Expected campaign profit against the contact threshold, both thresholds marked. */
export function profitChart(data: ReportData): string {
  const { profit: curve } = data.curves;
  const { profit, threshold } = data.metrics;
  const modelIndex = Math.min(curve.thresholds.length - 1, Math.max(0, Math.round(threshold * (curve.thresholds.length - 1))));
  const best = Number.isFinite(profit.threshold)
    ? `The most profitable threshold is ${decimal(profit.threshold)}: contacting ${amount(profit.flagged)} customers earns ${amount(profit.profit ?? 0)}.`
    : 'No threshold makes money with these inputs: contacting nobody is best.';
  return renderXyChart({
    id: 'chart-profit',
    title: 'Profit against threshold',
    description: `Expected profit of contacting every customer scoring at or above the threshold, with an action cost of ${amount(profit.actionCost)}, a retained customer worth ${amount(profit.retainedValue)} and ${percent(profit.successRate, 0)} of contacted churners kept. ${best} At the model's threshold (${decimal(threshold)}) it is ${amount(curve.profit[modelIndex]!)}.`,
    x: { label: 'Contact customers scoring at least', domain: [0, 1] },
    y: { label: 'Expected profit' , format: amount },
    series: [
      { kind: 'line', name: 'Break-even', x: [0, 1], y: [0, 0], color: PALETTE.reference, stroke: 'dashed' },
      { kind: 'line', name: 'Expected profit', x: curve.thresholds, y: curve.profit, color: PALETTE.model },
    ],
    markers: [
      ...(Number.isFinite(profit.threshold) ? [{ x: profit.threshold, y: profit.profit ?? 0, label: `Most profitable ${decimal(profit.threshold)}`, color: PALETTE.accent }] : []),
      { x: threshold, label: `Model threshold ${decimal(threshold)}`, color: PALETTE.churned },
    ],
  });
}

/** Score histograms of churners and staying customers, as shares of each class. */
export function histogramChart(data: ReportData): string {
  const { histogram } = data.curves;
  const churners = histogram.churned.reduce((sum, count) => sum + count, 0);
  const stayers = histogram.retained.reduce((sum, count) => sum + count, 0);
  const aboveThreshold = (counts: number[]) => counts.reduce((sum, count, k) => sum + (histogram.edges[k]! >= data.metrics.threshold ? count : 0), 0);
  return renderXyChart({
    id: 'chart-histogram',
    title: 'Scores of churners and staying customers',
    description: `Distribution of predicted churn probabilities, each group as a share of itself (${amount(churners)} churners, ${amount(stayers)} staying). The further apart the two, the better the model separates them. About ${percent(aboveThreshold(histogram.churned) / Math.max(churners, 1))} of churners and ${percent(aboveThreshold(histogram.retained) / Math.max(stayers, 1))} of staying customers fall in bins above the threshold.`,
    x: { label: 'Predicted churn probability', domain: [0, 1] },
    y: { label: 'Share of the group', format: share },
    series: [
      { kind: 'bars', name: `Churned (${amount(churners)})`, edges: histogram.edges, values: histogram.churned.map((count) => count / Math.max(churners, 1)), color: PALETTE.churned },
      { kind: 'bars', name: `Stayed (${amount(stayers)})`, edges: histogram.edges, values: histogram.retained.map((count) => count / Math.max(stayers, 1)), color: PALETTE.retained },
    ],
    markers: [{ x: data.metrics.threshold, label: `Threshold ${decimal(data.metrics.threshold)}`, color: PALETTE.reference }],
  });
}

/** Global feature importance: mean |contribution| per raw column. */
export function importanceChart(data: ReportData): string {
  const { importance } = data;
  const top = importance.columns[0];
  return renderRankedBarChart({
    id: 'chart-importance',
    title: 'What drives the churn score',
    description: `Average size of each column's push on a customer's score (its share of the log-odds, either way), over ${amount(importance.rowsExplained)} customers. ${top ? `${top.feature} moves scores most.` : ''}`,
    valueLabel: 'Mean |contribution| to the churn log-odds',
    items: importance.columns.map((column) => ({ label: column.feature, value: column.meanAbsoluteContribution })),
    color: PALETTE.model,
  });
}

const METHOD_COLOURS: Record<string, string> = { 't-learner': PALETTE.model, 'class-transformation': PALETTE.churned, 'dr-learner': PALETTE.highlight, oracle: PALETTE.accent };
const methodColour = (method: string, index: number) => METHOD_COLOURS[method] ?? [PALETTE.warning, PALETTE.reference][index % 2]!;
const signed = (value: number, digits = 4) => `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)}`;

/**
 * One action's Qini curves: each method's (its 95 % bootstrap band shaded; the oracle's
 * dotted, without a band) and random targeting, on the held-out decisions.
 */
export function qiniChart(entry: ActionUpliftCurves, index: number): string {
  const random = entry.methods[0]!.evaluation;
  const average = random.qini[random.qini.length - 1]!;
  const best = entry.methods.filter((method) => method.method !== 'oracle').sort((a, b) => b.evaluation.coefficient - a.evaluation.coefficient)[0];
  const words = best
    ? `The best learned ranking, ${best.method}, has a Qini coefficient of ${signed(best.evaluation.coefficient)} (95 % band ${signed(best.evaluation.bands.coefficient.low)} to ${signed(best.evaluation.bands.coefficient.high)}); ${best.evaluation.bands.coefficient.low > 0 ? 'better than random targeting' : 'its band includes random targeting'}.`
    : '';
  return renderXyChart({
    id: `chart-qini-${index}`,
    title: `Qini curves: ${entry.action}`,
    description: `Extra customers retained, per customer of each arm, when ${entry.action} goes only to the top share of ${amount(entry.test.treated + entry.test.control)} held-out decisions ranked by each model (random targeting: the straight line to the average uplift, ${signed(average, 3)}). ${words}`,
    x: { label: 'Decisions targeted, highest predicted uplift first', domain: [0, 1], format: share },
    y: { label: 'Extra retained (share of the arm)', format: (value) => decimal(value, 3) },
    series: [
      { kind: 'line', name: 'Random targeting', x: [0, 1], y: [0, average], color: PALETTE.reference, stroke: 'dashed' },
      ...entry.methods.map(({ method, evaluation }, at) => {
        const finiteBand = evaluation.bands.qini.every((band) => Number.isFinite(band?.low) && Number.isFinite(band?.high));
        return {
          kind: 'line' as const,
          name: `${method} (Qini ${signed(evaluation.coefficient)})`,
          x: evaluation.share,
          y: evaluation.qini,
          color: methodColour(method, at),
          ...(method === 'oracle' ? { stroke: 'dotted' as const } : {}),
          ...(method !== 'oracle' && finiteBand
            ? { band: { name: `${method}: 95 % bootstrap band`, lower: evaluation.bands.qini.map((band) => band.low), upper: evaluation.bands.qini.map((band) => band.high) } }
            : {}),
        };
      }),
    ],
  });
}

/** One action's uplift-at-k curves: the retention difference within the top share, per method. */
export function upliftAtKChart(entry: ActionUpliftCurves, index: number): string {
  const first = entry.methods[0]!.evaluation;
  const average = first.qini[first.qini.length - 1]!;
  return renderXyChart({
    id: `chart-uplift-at-k-${index}`,
    title: `Uplift at k: ${entry.action}`,
    description: `Retention of treated minus held-out customers among the top share by each model's predicted uplift. A good ranking starts high and falls to the average uplift (${signed(average, 3)}) as the share grows to everyone; the first few percent rest on few decisions.`,
    x: { label: 'Decisions targeted, highest predicted uplift first', domain: [0, 1], format: share },
    y: { label: 'Uplift within the top share', format: (value) => decimal(value, 2) },
    series: [
      { kind: 'line', name: 'Average uplift', x: [0, 1], y: [average, average], color: PALETTE.reference, stroke: 'dashed' },
      ...entry.methods.map(({ method, evaluation }, at) => ({
        kind: 'line' as const,
        name: method,
        x: evaluation.share,
        y: evaluation.upliftAtK,
        color: methodColour(method, at),
        ...(method === 'oracle' ? { stroke: 'dotted' as const } : {}),
      })),
    ],
  });
}

/** The ROC point at the model's threshold: the share of staying customers it flags. */
function thresholdPoint(data: ReportData): { falsePositiveRate: number } {
  const { fp, tn } = data.metrics.confusion;
  return { falsePositiveRate: fp + tn > 0 ? fp / (fp + tn) : 0 };
}
