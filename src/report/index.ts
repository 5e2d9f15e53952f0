/**
 * `churnkit/report`: the evaluation report as data (`buildReport`) and as one
 * self-contained HTML page (`renderReportHtml`), plus the SVG chart functions
 * it is drawn with. Runtime-neutral; kept out of the core entry so a
 * storefront that only scores never loads it.
 */
export { buildReport, type ReportData, type ReportInput, type ReportModel, type ReportSource } from './build-report.js';
export { renderReportHtml } from './html/render-report-html.js';
export { globalImportance, type GlobalImportance, type ColumnImportance, type GlobalImportanceOptions } from './feature-importance.js';
export { segmentTable, type SegmentTable, type SegmentRow } from './segment-table.js';
export { renderXyChart, type XyChartSpec, type LineSeries, type BarSeries, type ChartMarker, type AxisSpec } from './charts/xy-chart.js';
export { renderRankedBarChart, type RankedBarChartSpec } from './charts/ranked-bar-chart.js';
