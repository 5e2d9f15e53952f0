/**
 * The report's stylesheet, inlined in the page. System fonts (nothing to
 * download), one column on a phone and two on a laptop, tables that scroll
 * sideways rather than squeeze, print without backgrounds.
 */
export const REPORT_STYLES = `
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --panel: #ffffff; --page: #f5f7fa; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page-header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
.page-header { padding-top: 28px; padding-bottom: 8px; }
.eyebrow { margin: 0; color: var(--accent); font-weight: 600; letter-spacing: .04em; text-transform: uppercase; font-size: 13px; }
h1 { margin: 4px 0 8px; font-size: 30px; line-height: 1.2; }
h2 { margin: 36px 0 6px; font-size: 22px; }
h3 { margin: 0 0 4px; font-size: 17px; }
.meta { margin: 0; color: var(--muted); }
code { font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef2f7; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
.section-intro { margin: 0 0 14px; color: var(--muted); max-width: 75ch; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr)); gap: 12px; margin: 14px 0; padding: 0; list-style: none; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.kpi .value { display: block; font-size: 28px; font-weight: 700; line-height: 1.2; }
.kpi .label { display: block; font-weight: 600; }
.kpi .hint { display: block; color: var(--muted); font-size: 14px; }
.takeaways { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 10px; padding: 12px 18px 12px 36px; margin: 0; }
.takeaways li { margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px; min-width: 0; }
.card .explain { margin: 0 0 8px; color: var(--muted); font-size: 15px; }
.chart { margin: 0; }
.chart-svg { display: block; width: 100%; height: auto; max-width: 640px; margin: 0 auto; font-family: inherit; }
.chart-svg .grid { stroke: #e4e7eb; stroke-width: 1; }
.chart-svg .axis, .chart-svg .tick-mark { stroke: #7b8794; stroke-width: 1; }
.chart-svg .tick { font-size: 12px; fill: #3e4c59; }
.chart-svg .value { font-size: 12px; fill: #1f2933; }
.chart-svg .axis-label { font-size: 13px; font-weight: 600; fill: #1f2933; }
.chart-svg .marker-label { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0 0; padding: 0; list-style: none; font-size: 14px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 24px; height: 12px; flex: none; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--accent); font-size: 14px; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; background: var(--panel); }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
thead th { border-bottom: 2px solid #9aa5b1; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { font-weight: 500; }
/* minmax(0, …): on a narrow phone a long input name wraps instead of pushing its value off the screen. */
.inputs { display: grid; grid-template-columns: minmax(0, max-content) 1fr; gap: 2px 12px; margin: 8px 0 0; font-size: 14px; }
.inputs dt { color: var(--muted); }
.inputs dd { margin: 0; font-weight: 600; }
footer { color: var(--muted); font-size: 14px; padding-top: 24px; padding-bottom: 40px; }
@media (max-width: 600px) {
  body { font-size: 15px; }
  h1 { font-size: 24px; }
  .page-header, main, footer { padding-left: 12px; padding-right: 12px; }
  .card { padding: 12px; }
  .kpi .value { font-size: 24px; }
  /* Chart text is in viewBox units, which shrink with the chart: enlarge it so it stays readable. */
  .chart-svg .tick, .chart-svg .value, .chart-svg .marker-label { font-size: 14px; }
  .chart-svg .axis-label { font-size: 15px; }
}
@media print {
  body { background: #fff; }
  .card, .kpi { break-inside: avoid; }
  details { display: none; }
}
`;
