/**
 * A grouped horizontal bar chart rendered to a standalone SVG string: one block of bars per
 * group (e.g. per model), one bar per series (e.g. per backend), value printed at each bar.
 * No dependencies, so the report can be regenerated anywhere the results JSON is.
 */

export interface BarChart {
  /** File name under bench/results/ the report writes the SVG to. */
  readonly file: string;
  readonly title: string;
  readonly unit: string;
  readonly logScale: boolean;
  readonly groups: readonly string[];
  /** One entry per series; `values[g]` belongs to `groups[g]`, null when not measured. */
  readonly bars: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
}

const WIDTH = 960;
const LABEL_WIDTH = 300;
const VALUE_WIDTH = 90;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const GROUP_HEADER = 28;
const TOP = 44;
const AXIS_HEIGHT = 30;
const PALETTE = ['#1b7837', '#5aae61', '#a6dba0', '#762a83', '#9970ab', '#c2a5cf', '#2166ac', '#67a9cf', '#b2182b', '#ef8a62'];

/**
 * @example
 * const svg = renderBarChart({ file: 'latency.svg', title: 'p50', unit: 'µs', logScale: true,
 *   groups: ['LR', 'MLP'], bars: [{ label: 'churnkit', values: [0.07, 0.3] }, { label: 'peer', values: [9, null] }] });
 */
export function renderBarChart(chart: BarChart): string {
  const values = chart.bars.flatMap((bar) => bar.values).filter((value): value is number => value !== null && value > 0 && Number.isFinite(value));
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const { low, high } = axisBounds(values, chart.logScale);
  const position = (value: number): number => {
    const clamped = Math.min(high, Math.max(low, value));
    const fraction = chart.logScale ? Math.log10(clamped / low) / Math.log10(high / low) : clamped / high;
    return LABEL_WIDTH + fraction * plotWidth;
  };

  const groupHeight = GROUP_HEADER + chart.bars.length * (BAR_HEIGHT + BAR_GAP);
  const plotBottom = TOP + chart.groups.length * groupHeight;
  const height = plotBottom + AXIS_HEIGHT;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];

  for (const tick of axisTicks(low, high, chart.logScale)) {
    const x = position(tick).toFixed(1);
    parts.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${plotBottom}" stroke="#dddddd"/>`);
    const tickLabel = chart.logScale ? String(Number(tick.toPrecision(1))) : formatValue(tick);
    parts.push(`<text x="${x}" y="${plotBottom + 18}" text-anchor="middle" fill="#555555">${escapeXml(`${tickLabel} ${chart.unit}`)}</text>`);
  }

  chart.groups.forEach((group, groupIndex) => {
    const groupTop = TOP + groupIndex * groupHeight;
    parts.push(`<text x="8" y="${groupTop + 19}" font-weight="bold" font-size="13">${escapeXml(group)}</text>`);
    chart.bars.forEach((bar, barIndex) => {
      const y = groupTop + GROUP_HEADER + barIndex * (BAR_HEIGHT + BAR_GAP);
      const textY = y + BAR_HEIGHT - 5;
      parts.push(`<text x="${LABEL_WIDTH - 8}" y="${textY}" text-anchor="end">${escapeXml(bar.label)}</text>`);
      const value = bar.values[groupIndex] ?? null;
      if (value === null || !(value > 0)) {
        parts.push(`<text x="${LABEL_WIDTH + 4}" y="${textY}" fill="#888888">not measured</text>`);
        return;
      }
      const end = position(value);
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(1, end - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="${PALETTE[barIndex % PALETTE.length]}"/>`);
      parts.push(`<text x="${(end + 6).toFixed(1)}" y="${textY}">${escapeXml(`${formatValue(value)} ${chart.unit}`)}</text>`);
    });
  });
  parts.push(`<line x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${plotBottom}" stroke="#333333"/>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function axisBounds(values: number[], logScale: boolean): { low: number; high: number } {
  if (values.length === 0) return { low: logScale ? 0.1 : 0, high: 1 };
  const max = Math.max(...values);
  if (!logScale) return { low: 0, high: niceCeiling(max) };
  const min = Math.min(...values);
  const low = 10 ** Math.floor(Math.log10(min));
  const high = 10 ** Math.ceil(Math.log10(max));
  return { low, high: high > low ? high : low * 10 };
}

function axisTicks(low: number, high: number, logScale: boolean): number[] {
  const ticks: number[] = [];
  if (logScale) {
    for (let tick = low; tick <= high * 1.0001; tick *= 10) ticks.push(tick);
  } else {
    for (let step = 0; step <= 5; step++) ticks.push((high * step) / 5);
  }
  return ticks;
}

function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((factor) => factor * magnitude >= value) ?? 10) * magnitude;
}

function formatValue(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 1) return value.toFixed(value >= 10 ? 1 : 2);
  return value.toPrecision(2);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
