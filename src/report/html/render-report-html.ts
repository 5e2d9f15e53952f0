import type { ReportData } from '../build-report.js';
import { escapeText } from '../charts/svg-text.js';
import { amount, decimal, percent } from './format.js';
import * as charts from './report-charts.js';
import { REPORT_STYLES } from './report-styles.js';
import * as tables from './report-tables.js';

/**
 * Renders a report as one self-contained HTML page: inline CSS and SVG, no
 * script, no font, image or stylesheet fetched from anywhere, so it opens from
 * a file, an e-mail attachment or an air-gapped machine and prints cleanly.
 * Every chart has a title and description for screen readers and its data as
 * a table under "Data behind the chart".
 *
 * @example
 * await writeFile('report.html', renderReportHtml(buildReport(input)));
 */
export function renderReportHtml(data: ReportData): string {
  const title = `Churn model report: ${data.model.version}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from the network, even by accident: the policy blocks it in the browser.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeText(title)}</title>`,
    `<style>${REPORT_STYLES}</style>`,
    '</head>',
    '<body>',
    header(data),
    '<main>',
    summary(data),
    section('ranking', 'How well the model ranks customers', 'A good churn model puts the customers who will leave at the top of the list. These two charts measure that ordering, whatever threshold is later used.', [
      card('ROC curve', 'Each point is a possible threshold: how many churners it catches (up) against how many loyal customers it bothers (right). The closer the curve hugs the top-left corner, the better.', charts.rocChart(data), tables.rocTable(data)),
      card('Precision-recall curve', 'Of the customers flagged, how many really churn (precision), as the threshold is lowered to catch more churners (recall). Churn is the rarer outcome, so this chart is the stricter test.', charts.precisionRecallChart(data), tables.precisionRecallTable(data)),
    ]),
    section('contact', 'Whom to contact', 'Retention campaigns contact the customers with the highest scores first. These charts show what that buys.', [
      card('Cumulative gain', 'Share of all churners reached after contacting a share of customers, highest scores first.', charts.gainChart(data), tables.gainTable(data)),
      card('Lift', 'How many times more churners the top of the list holds than a random selection of the same size.', charts.liftChart(data), tables.gainTable(data)),
      card('Profit against threshold', 'Expected profit of a campaign contacting every customer at or above a threshold, with the inputs below.', charts.profitChart(data) + economicsList(data), tables.profitTable(data)),
    ]),
    section('trust', 'Can the probabilities be trusted?', 'Beyond ordering customers, a probability should mean what it says: of customers scored 30 %, about 3 in 10 should churn.', [
      card('Calibration', 'Predicted churn probability against the churn rate actually observed, for groups of similar customers.', charts.calibrationChart(data), tables.calibrationTableHtml(data)),
      card('Score distributions', 'Predicted probabilities of customers who churned and of those who stayed.', charts.histogramChart(data), tables.histogramTable(data)),
    ]),
    section('drivers', 'What drives the score', importanceIntro(data), [
      card('Feature importance', 'Columns ranked by how much they move customers\' scores on average, in either direction.', charts.importanceChart(data), tables.importanceTable(data)),
    ]),
    segments(data),
    section('details', 'All figures', `The same numbers as <code>churnkit eval</code> on this file.`, [
      `<article class="card">${tables.metricsTable(data)}${tables.confusionTable(data)}</article>`,
      `<article class="card">${tables.calibrationTableHtml(data)}</article>`,
    ]),
    '</main>',
    footer(data),
    '</body>',
    '</html>',
  ].join('\n');
}

function header(data: ReportData): string {
  const { model, source, metrics } = data;
  const scoring =
    source.scoring === 'held-out'
      ? `scored on <code>${escapeText(source.data)}</code>`
      : `scored out of fold on <code>${escapeText(source.data)}</code> (each customer by a cross-validation model that never saw them)`;
  return `<header class="page-header"><p class="eyebrow">churnkit report</p><h1>Churn model report</h1><p class="meta">Model <code>${escapeText(model.version)}</code> (${model.kind === 'mlp' ? 'neural network' : 'logistic regression'}, ${escapeText(model.layers)}; trained on ${amount(model.trainingRows)} rows, ${escapeText(model.trainedAt.slice(0, 10))}) ${scoring}: ${amount(metrics.rows)} customers, ${percent(metrics.positives / metrics.rows)} churned. Generated ${escapeText(data.generatedAt.replace('T', ' ').slice(0, 16))} UTC.</p></header>`;
}

function summary(data: ReportData): string {
  const { metrics, curves } = data;
  const flagged = metrics.confusion.tp + metrics.confusion.fp;
  const top20 = curves.gain.churnersReached[Math.round((curves.gain.contacted.length - 1) * 0.2)] ?? 0;
  const kpi = (label: string, value: string, hint: string) => `<li class="kpi"><span class="label">${escapeText(label)}</span><span class="value">${escapeText(value)}</span><span class="hint">${escapeText(hint)}</span></li>`;
  const profit = metrics.profit;
  const profitLine = Number.isFinite(profit.threshold)
    ? `With the inputs below, the most profitable campaign contacts the ${amount(profit.flagged)} customers scoring ${decimal(profit.threshold)} or more, for an expected ${amount(profit.profit ?? 0)}.`
    : 'With the inputs below no campaign makes money: the action costs more than the churners it keeps are worth.';
  return [
    '<section aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">At a glance</h2>',
    '<ul class="kpis">',
    kpi('ROC AUC', decimal(metrics.auc), 'ranking quality: 0.5 is guessing, 1 is perfect'),
    kpi('PR AUC', decimal(metrics.pr_auc), `precision over all thresholds; random is ${percent(metrics.positives / metrics.rows)}`),
    kpi('Churners caught', percent(metrics.recall), `at threshold ${decimal(metrics.threshold)} (recall)`),
    kpi('Flagged who churn', percent(metrics.precision), `${amount(flagged)} customers flagged (precision)`),
    kpi('Top 20 % of scores', percent(top20), 'of all churners are among them'),
    '</ul>',
    '<ul class="takeaways">',
    `<li>At the model's threshold of ${decimal(metrics.threshold)}, ${amount(flagged)} of ${amount(metrics.rows)} customers are flagged; ${amount(metrics.confusion.tp)} of them churn, and ${amount(metrics.confusion.fn)} churners are missed.</li>`,
    `<li>Contacting the 20 % of customers with the highest scores reaches ${percent(top20)} of everyone who churns.</li>`,
    `<li>${escapeText(profitLine)}</li>`,
    data.importance.columns.length > 0 ? `<li>The columns that move scores most: ${data.importance.columns.slice(0, 3).map((column) => `<strong>${escapeText(column.feature)}</strong>`).join(', ')}.</li>` : '',
    '</ul>',
    '</section>',
  ].join('');
}

function section(id: string, heading: string, intro: string, cards: readonly string[]): string {
  return `<section aria-labelledby="${id}-heading"><h2 id="${id}-heading">${escapeText(heading)}</h2><p class="section-intro">${intro}</p><div class="grid">${cards.join('')}</div></section>`;
}

function card(heading: string, explanation: string, chart: string, dataTable: string): string {
  return `<article class="card"><h3>${escapeText(heading)}</h3><p class="explain">${escapeText(explanation)}</p>${chart}<details><summary>Data behind the chart</summary>${dataTable}</details></article>`;
}

function economicsList(data: ReportData): string {
  const { profit } = data.metrics;
  return `<dl class="inputs"><dt>Cost of the action per contacted customer</dt><dd>${amount(profit.actionCost)}</dd><dt>Value of keeping a churner</dt><dd>${amount(profit.retainedValue)}</dd><dt>Contacted churners the action keeps</dt><dd>${percent(profit.successRate, 0)}</dd><dt>Break-even churn probability</dt><dd>${profit.successRate * profit.retainedValue > 0 ? decimal(profit.actionCost / (profit.successRate * profit.retainedValue)) : 'never'}</dd></dl>`;
}

function importanceIntro(data: ReportData): string {
  const { importance } = data;
  const sample =
    importance.rowsExplained < importance.rowsTotal
      ? `a random sample of ${amount(importance.rowsExplained)} of the ${amount(importance.rowsTotal)} customers (seed ${importance.seed})`
      : `all ${amount(importance.rowsTotal)} customers`;
  return `From the model's own explanations of ${sample}: each customer's score is split into each column's push toward churn or toward staying (${data.model.kind === 'mlp' ? 'integrated gradients' : 'exact for a logistic regression'}), and the size of those pushes is averaged.`;
}

function segments(data: ReportData): string {
  if (data.segments.length === 0) return '';
  const cards = data.segments.map((table) => `<article class="card segment-card">${tables.segmentTableHtml(table)}</article>`);
  return `<section aria-labelledby="segments-heading"><h2 id="segments-heading">By segment</h2><p class="section-intro">The same evaluation within groups of customers. A segment whose mean prediction is far from its churn rate is mis-calibrated there; a low AUC means the model ranks that group poorly.</p>${cards.join('')}</section>`;
}

function footer(data: ReportData): string {
  return `<footer><p>Written by <code>churnkit report</code>. Metrics are computed on the customers listed above at the model's own threshold (chosen at training time on validation data). Threshold-free figures (ROC AUC, PR AUC, log loss, Brier) do not depend on it. Model file: <code>${escapeText(data.source.model)}</code>.</p></footer>`;
}
