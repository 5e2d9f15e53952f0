import { linearScale } from './linear-scale.js';
import { coordinate, escapeText } from './svg-text.js';

/** Horizontal bars, one per labelled item, in the given order (largest first, usually). */
export interface RankedBarChartSpec {
  id: string;
  title: string;
  description: string;
  valueLabel: string;
  items: readonly { label: string; value: number }[];
  color: string;
  format?: (value: number) => string;
}

const WIDTH = 480;
const ROW = 22;
const MARGIN = { top: 8, right: 56, bottom: 44, left: 200 };
/** Labels longer than this are cut with an ellipsis in the chart (the table below has them whole). */
const LABEL_CHARACTERS = 25;

/**
 * Renders ranked horizontal bars (feature importance, segment sizes) as a
 * `<figure>` with an inline SVG whose height grows with the number of items;
 * each bar carries its value at its end, so no reader has to estimate lengths.
 *
 * @example
 * renderRankedBarChart({ id: 'importance', title: 'What drives the score', description: '...', valueLabel: 'Mean |contribution|',
 *   items: [{ label: 'Tenure', value: 1.2 }, { label: 'Complain', value: 0.8 }], color: '#0072B2' });
 */
export function renderRankedBarChart(spec: RankedBarChartSpec): string {
  const height = MARGIN.top + spec.items.length * ROW + MARGIN.bottom;
  const maximum = Math.max(0, ...spec.items.map((item) => item.value));
  const x = linearScale([0, maximum], [MARGIN.left, WIDTH - MARGIN.right], { tickCount: 4, extend: true });
  const format = spec.format ?? ((value: number) => String(Number(value.toPrecision(3))));
  const bottom = height - MARGIN.bottom;
  const parts = [
    `<svg class="chart-svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc">`,
    `<title id="${spec.id}-title">${escapeText(spec.title)}</title>`,
    `<desc id="${spec.id}-desc">${escapeText(spec.description)}</desc>`,
  ];
  for (const tick of x.ticks) {
    parts.push(`<line class="grid" x1="${coordinate(x(tick))}" x2="${coordinate(x(tick))}" y1="${MARGIN.top}" y2="${bottom}"/>`);
    parts.push(`<text class="tick" x="${coordinate(x(tick))}" y="${bottom + 18}" text-anchor="middle">${escapeText(format(tick))}</text>`);
  }
  spec.items.forEach((item, index) => {
    const top = MARGIN.top + index * ROW;
    const label = item.label.length > LABEL_CHARACTERS ? `${item.label.slice(0, LABEL_CHARACTERS - 1)}…` : item.label;
    const end = x(Math.max(item.value, 0));
    parts.push(`<text class="tick" x="${MARGIN.left - 8}" y="${top + ROW / 2}" text-anchor="end" dominant-baseline="middle">${escapeText(label)}</text>`);
    parts.push(`<rect class="bar" x="${MARGIN.left}" y="${top + 3}" width="${coordinate(Math.max(end - MARGIN.left, 0.5))}" height="${ROW - 6}" fill="${spec.color}"/>`);
    parts.push(`<text class="value" x="${coordinate(end + 4)}" y="${top + ROW / 2}" dominant-baseline="middle">${escapeText(format(item.value))}</text>`);
  });
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${bottom}"/>`);
  parts.push(`<text class="axis-label" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${height - 8}" text-anchor="middle">${escapeText(spec.valueLabel)}</text>`);
  parts.push('</svg>');
  return `<figure class="chart" id="${spec.id}">${parts.join('')}</figure>`;
}
