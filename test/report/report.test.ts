import { beforeAll, describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { summarizeEvaluation } from '../../src/metrics/evaluation-summary.js';
import type { ExplainableChurnModel } from '../../src/explain/explainable.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { buildReport, type ReportData } from '../../src/report/build-report.js';
import { renderXyChart } from '../../src/report/charts/xy-chart.js';
import { globalImportance } from '../../src/report/feature-importance.js';
import { renderReportHtml } from '../../src/report/html/render-report-html.js';
import { segmentTable } from '../../src/report/segment-table.js';
import { train } from '../../src/train/train.js';
import { evaluateUplift } from '../../src/uplift/bootstrap-bands.js';
import type { UpliftResults } from '../../src/report/uplift-curves.js';
import { syntheticCustomers } from '../model/synthetic-customers.js';

const economics = { actionCost: 10, retainedValue: 100, successRate: 0.3 };
const HOSTILE = '<img src=x onerror=alert(1)>';

let model: ExplainableChurnModel;
let records: RawRecord[];
let labels: number[];
let probabilities: Float32Array;
let data: ReportData;

beforeAll(async () => {
  const rows = syntheticCustomers(600, 3);
  ({ model } = await train(rows.slice(0, 400), { engine: createJsEngine(), target: 'Churn', id: 'CustomerID', epochs: 10, hidden: [8] }));
  records = rows.slice(400).map((row, index) => ({ ...row, Channel: index % 7 === 0 ? HOSTILE : 'web' }));
  labels = records.map((row) => Number(row['Churn']));
  probabilities = model.predictBatch(records);
  data = buildReport({ model, records, labels, probabilities, economics, segments: ['PaymentMode', 'CashbackAmount', 'Channel'], source: { model: 'm.json', data: 'test.csv', scoring: 'held-out' } });
});

describe('buildReport', () => {
  it('carries exactly the evaluation churnkit eval prints for the same predictions and economics', () => {
    expect(data.metrics).toEqual(summarizeEvaluation(labels, probabilities, model.threshold, economics));
    expect(data.model).toMatchObject({ kind: 'mlp', threshold: model.threshold, target: 'Churn' });
  });

  it('holds every curve the page draws, thinned but with both ends', () => {
    const { roc, gain, profit, histogram } = data.curves;
    expect(roc.falsePositiveRate[0]).toBe(0);
    expect(roc.truePositiveRate.at(-1)).toBe(1);
    expect(gain.contacted).toHaveLength(101);
    expect(profit.thresholds).toHaveLength(101);
    expect(histogram.churned.reduce((sum, count) => sum + count, 0)).toBe(data.metrics.positives);
  });

  it('ranks every raw column by mean |contribution| from the model\'s explanations', () => {
    const names = data.importance.columns.map((column) => column.feature);
    expect(new Set(names)).toEqual(new Set(model.features.map((feature) => feature.name)));
    const values = data.importance.columns.map((column) => column.meanAbsoluteContribution);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(data.importance).toMatchObject({ rowsExplained: 200, rowsTotal: 200 });
    // One row by hand: its |contributions| are what the mean is made of.
    const single = globalImportance(model, [records[0]!]);
    for (const { feature, contribution } of model.explain(records[0]!)) {
      expect(single.columns.find((column) => column.feature === feature)!.meanAbsoluteContribution).toBeCloseTo(Math.abs(contribution), 12);
    }
  });

  it('averages the signed shares too, over the rows explained', () => {
    const two = globalImportance(model, records.slice(0, 2));
    const [first, second] = [model.explain(records[0]!), model.explain(records[1]!)];
    for (const column of two.columns) {
      const signed = [first, second].map((reasons) => reasons.find((reason) => reason.feature === column.feature)!.contribution);
      expect(column.meanContribution).toBeCloseTo((signed[0]! + signed[1]!) / 2, 12);
    }
  });

  it('explains every row of up to 2000 by default, and samples with seed 42 unless given one', () => {
    const doubled = [...records, ...records];
    expect(globalImportance(model, doubled)).toMatchObject({ rowsExplained: 400, rowsTotal: 400 });
    const sampled = globalImportance(model, records, { maxRows: 50 });
    expect(sampled.seed).toBe(42);
    expect(sampled).toEqual(globalImportance(model, records, { maxRows: 50, seed: 42 }));
  });

  it('refuses a maxRows below 1', () => {
    expect(() => globalImportance(model, records, { maxRows: 0 })).toThrow(/importance maxRows is 0; expected an integer >= 1/);
  });

  it('explains a seeded sample of a large file, the same one for the same seed', () => {
    const first = globalImportance(model, records, { maxRows: 50, seed: 3 });
    const again = globalImportance(model, records, { maxRows: 50, seed: 3 });
    const other = globalImportance(model, records, { maxRows: 50, seed: 4 });
    expect(first.rowsExplained).toBe(50);
    expect(again).toEqual(first);
    expect(other.columns).not.toEqual(first.columns);
    const calls: number[] = [];
    globalImportance(model, records, { maxRows: 120, onProgress: (explained) => calls.push(explained) });
    expect(calls).toEqual([50, 100, 120]);
  });
});

describe('segmentTable', () => {
  it('groups spellings of one category as the model does, largest group first', () => {
    const table = segmentTable(records, labels, probabilities, model.threshold, 'PaymentMode', model.featureSpec);
    const names = table.rows.map((row) => row.segment);
    expect(names).toContain('Credit Card');
    expect(names).not.toContain('CC');
    expect(names).not.toContain('COD');
    expect(table.rows.reduce((sum, row) => sum + row.rows, 0)).toBe(records.length);
    const sizes = table.rows.map((row) => row.rows);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('cuts a numeric column with many values into quintile ranges, in order', () => {
    const table = segmentTable(records, labels, probabilities, model.threshold, 'CashbackAmount');
    expect(table.grouping).toBe('ranges');
    expect(table.rows).toHaveLength(5);
    expect(table.rows[0]!.segment).toMatch(/^[\d.]+ to under [\d.]+$/);
    expect(table.rows.at(-1)!.segment).toMatch(/^[\d.]+ to [\d.]+$/);
    for (const row of table.rows) expect(row.rows).toBeGreaterThan(30);
  });

  it('puts missing cells in their own group, gives no AUC for a one-class group, and names an unknown column', () => {
    const withGaps = records.map((record, index) => ({ ...record, Tier: index < 3 ? '' : index % 2 === 0 ? 'A' : 'B' }));
    const table = segmentTable(withGaps, labels.map((label, index) => (index < 3 ? 0 : label)), probabilities, model.threshold, 'Tier');
    const missing = table.rows.find((row) => row.segment === '(missing)')!;
    expect(missing.rows).toBe(3);
    expect(missing.auc).toBeNull();
    expect(() => segmentTable(records, labels, probabilities, model.threshold, 'Nope')).toThrow(/no column "Nope" to segment by/);
  });
});

describe('the report page', () => {
  it('escapes data from the file: a hostile category is shown as text, never as markup', () => {
    const html = renderReportHtml(data);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is self-contained: no script, no external reference, a policy that blocks any request', () => {
    const html = renderReportHtml(data);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    // Eight charts, each an image with a title and a description for screen readers.
    expect(html.match(/<svg class="chart-svg"[^>]*role="img"/g)).toHaveLength(8);
    expect(html.match(/<desc id="chart-[a-z]+-desc">/g)).toHaveLength(8);
  });
});

describe('the uplift section', () => {
  /** 400 held-out decisions: the first half by score respond to the action, the rest do not. */
  function upliftResults(): UpliftResults {
    const rows = Array.from({ length: 400 }, (_, index) => {
      const treated = index % 5 !== 0;
      const responds = index < 200;
      return { index, treated, retained: responds ? treated : index % 3 !== 0 };
    });
    const evaluation = (score: (index: number) => number) =>
      evaluateUplift(rows.map((row) => ({ score: score(row.index), treated: row.treated, retained: row.retained })), { resamples: 30, seed: 1 });
    const test = { treated: 320, control: 80 };
    return {
      store: 'sim.sqlite',
      decisions: 1333,
      reports: [
        { action: HOSTILE, method: 't-learner', test, evaluation: evaluation((index) => -index) },
        { action: HOSTILE, method: 'class-transformation', test, evaluation: null, error: 'too few held-out decisions' },
        { action: HOSTILE, method: 'oracle', test, evaluation: evaluation((index) => (index < 200 ? 1 : 0)) },
      ],
    };
  }

  it('is left out without uplift results, and draws each action\'s Qini and uplift-at-k curves with them', () => {
    expect(data.uplift).toBeUndefined();
    expect(renderReportHtml(data)).not.toContain('id="uplift-heading"');
    const withUplift = buildReport({ model, records, labels, probabilities, economics, source: data.source, uplift: upliftResults() });
    const [action] = withUplift.uplift!.actions;
    expect(action!.methods.map((entry) => entry.method)).toEqual(['t-learner', 'oracle']);
    expect(action!.missing).toEqual([{ method: 'class-transformation', reason: 'too few held-out decisions' }]);
    const html = renderReportHtml(withUplift);
    expect(html).toContain('id="uplift-heading"');
    expect(html).toContain('1,333 logged decisions');
    // The ranking that finds the responders is better than random, and the page says so.
    expect(html).toMatch(/t-learner, has a Qini coefficient of \+0\.\d{4} \(95 % band \+0\.\d{4} to \+0\.\d{4}\); better than random targeting/);
    expect(html.match(/<svg class="chart-svg"[^>]*role="img"/g)).toHaveLength(8 + 2);
    expect(html).toContain('id="chart-qini-0"');
    expect(html).toContain('id="chart-uplift-at-k-0"');
    expect(html).toContain('t-learner: 95 % bootstrap band');
    expect(html).toContain('Not shown: class-transformation: too few held-out decisions.');
    // The action name comes from the store: escaped everywhere.
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/NaN|undefined/);
  });
});

describe('renderXyChart', () => {
  it('draws a curve with a shaded band, leaves gaps at null values, and escapes titles', () => {
    const svg = renderXyChart({
      id: 'qini',
      title: 'Qini <curve>',
      description: 'Incremental retained customers by share treated.',
      x: { label: 'Share treated', domain: [0, 1] },
      y: { label: 'Incremental retained' },
      series: [{ kind: 'line', name: 'Policy', x: [0, 0.25, 0.5, 0.75, 1], y: [0, 20, null, 50, 55], color: '#0072B2', band: { name: '95 % interval', lower: [0, 10, 30, 40, 45], upper: [0, 30, 50, 60, 65] } }],
    });
    expect(svg).toContain('<title id="qini-title">Qini &lt;curve&gt;</title>');
    expect(svg.match(/<path class="band"/g)).toHaveLength(1);
    const curve = /<path class="series" d="([^"]+)"/.exec(svg)![1]!;
    expect(curve.match(/M/g)).toHaveLength(2);
    expect(svg).toContain('95 % interval');
    // The y axis is fitted to the band too, rounded outwards: its top tick is at least 65.
    const ticks = [...svg.matchAll(/text-anchor="end" dominant-baseline="middle">(\d+)</g)].map((match) => Number(match[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(65);
  });
});
