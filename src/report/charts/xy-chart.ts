import { linearScale, type LinearScale } from './linear-scale.js';
import { coordinate, escapeText } from './svg-text.js';

/** One axis: its title, optional fixed range (else fitted to the data, rounded) and tick format. */
export interface AxisSpec {
  label: string;
  domain?: readonly [number, number];
  format?: (value: number) => string;
  tickCount?: number;
}

export type Stroke = 'solid' | 'dashed' | 'dotted';

/** A curve; `null` y values leave a gap. An optional band (e.g. a confidence interval) is shaded behind it. */
export interface LineSeries {
  kind: 'line';
  name: string;
  x: readonly number[];
  y: readonly (number | null)[];
  color: string;
  stroke?: Stroke;
  /** Draw as steps (the value holds until the next x), as for a precision-recall curve. */
  step?: boolean;
  /** Mark every point with a dot (for few, meaningful points such as calibration bins). */
  points?: boolean;
  band?: { name: string; lower: readonly number[]; upper: readonly number[] };
}

/** Bars over intervals [edges[k], edges[k + 1]); several bar series share each interval side by side. */
export interface BarSeries {
  kind: 'bars';
  name: string;
  edges: readonly number[];
  values: readonly number[];
  color: string;
}

/** A labelled vertical rule at `x` (a threshold), with a dot at `y` when given. */
export interface ChartMarker {
  x: number;
  y?: number;
  label: string;
  color: string;
}

/** A chart on two numeric axes: everything the report draws except ranked bars. */
export interface XyChartSpec {
  /** Unique in the page: used for element ids. */
  id: string;
  title: string;
  /** A sentence or two saying what the chart shows and what it says: the text alternative. */
  description: string;
  x: AxisSpec;
  y: AxisSpec;
  series: readonly (LineSeries | BarSeries)[];
  markers?: readonly ChartMarker[];
}

const WIDTH = 480;
const HEIGHT = 320;
const MARGIN = { top: 14, right: 24, bottom: 50, left: 72 };
const DASHES: Record<Stroke, string | undefined> = { solid: undefined, dashed: '7 5', dotted: '2 4' };

/**
 * Renders an XY chart as a `<figure>`: an inline SVG (title and description
 * for screen readers, axes with round ticks, grid, bands, bars, curves and
 * markers) and an HTML legend below it, which reflows on a narrow screen.
 * No script and no external resource: the page works offline and in print.
 *
 * @example
 * renderXyChart({
 *   id: 'qini', title: 'Qini curve', description: 'Incremental retained customers by share treated.',
 *   x: { label: 'Share treated', domain: [0, 1] }, y: { label: 'Incremental retained' },
 *   series: [{ kind: 'line', name: 'Policy', x: [0, 0.5, 1], y: [0, 40, 55], color: '#0072B2',
 *              band: { name: '95 % interval', lower: [0, 30, 45], upper: [0, 50, 65] } }],
 * });
 */
export function renderXyChart(spec: XyChartSpec): string {
  const x = linearScale(spec.x.domain ?? extent(spec, 'x'), [MARGIN.left, WIDTH - MARGIN.right], { tickCount: spec.x.tickCount ?? 5, extend: !spec.x.domain });
  const y = linearScale(spec.y.domain ?? extent(spec, 'y'), [HEIGHT - MARGIN.bottom, MARGIN.top], { tickCount: spec.y.tickCount ?? 5, extend: !spec.y.domain });
  const clip = `${spec.id}-plot`;
  const bars = spec.series.filter((series): series is BarSeries => series.kind === 'bars');
  const lines = spec.series.filter((series): series is LineSeries => series.kind === 'line');
  const svg = [
    `<svg class="chart-svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc">`,
    `<title id="${spec.id}-title">${escapeText(spec.title)}</title>`,
    `<desc id="${spec.id}-desc">${escapeText(spec.description)}</desc>`,
    `<defs><clipPath id="${clip}"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}"/></clipPath></defs>`,
    axes(spec, x, y),
    `<g clip-path="url(#${clip})">`,
    ...lines.filter((series) => series.band).map((series) => band(series, x, y)),
    ...bars.map((series, index) => barRects(series, index, bars.length, x, y)),
    ...lines.map((series) => curve(series, x, y)),
    '</g>',
    ...(spec.markers ?? []).map((marker, index) => markerRule(marker, index, x, y)),
    '</svg>',
  ].join('');
  return `<figure class="chart" id="${spec.id}">${svg}${legend(spec)}</figure>`;
}

function extent(spec: XyChartSpec, axis: 'x' | 'y'): [number, number] {
  const values: number[] = [];
  for (const series of spec.series) {
    if (series.kind === 'bars') {
      if (axis === 'x') values.push(...series.edges);
      else values.push(0, ...series.values);
    } else {
      values.push(...(axis === 'x' ? series.x : series.y).filter((value): value is number => value !== null && Number.isFinite(value)));
      if (axis === 'y' && series.band) values.push(...series.band.lower, ...series.band.upper);
    }
  }
  for (const marker of spec.markers ?? []) {
    const value = axis === 'x' ? marker.x : marker.y;
    if (value !== undefined && Number.isFinite(value)) values.push(value);
  }
  return values.length === 0 ? [0, 1] : [Math.min(...values), Math.max(...values)];
}

function axes(spec: XyChartSpec, x: LinearScale, y: LinearScale): string {
  const formatX = spec.x.format ?? plainNumber;
  const formatY = spec.y.format ?? plainNumber;
  const bottom = HEIGHT - MARGIN.bottom;
  const parts = ['<g class="axes">'];
  for (const tick of y.ticks) {
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${coordinate(y(tick))}" y2="${coordinate(y(tick))}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${coordinate(y(tick))}" text-anchor="end" dominant-baseline="middle">${escapeText(formatY(tick))}</text>`);
  }
  for (const tick of x.ticks) {
    parts.push(`<line class="tick-mark" x1="${coordinate(x(tick))}" x2="${coordinate(x(tick))}" y1="${bottom}" y2="${bottom + 5}"/>`);
    parts.push(`<text class="tick" x="${coordinate(x(tick))}" y="${bottom + 18}" text-anchor="middle">${escapeText(formatX(tick))}</text>`);
  }
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${bottom}"/>`);
  parts.push(`<text class="axis-label" x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeText(spec.x.label)}</text>`);
  parts.push(`<text class="axis-label" transform="rotate(-90)" x="${-(MARGIN.top + bottom) / 2}" y="14" text-anchor="middle">${escapeText(spec.y.label)}</text>`);
  parts.push('</g>');
  return parts.join('');
}

/** Ticks as short as they can be: 0.2 not 0.20000000000000001, 1000 not 1e3. */
function plainNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function curve(series: LineSeries, x: LinearScale, y: LinearScale): string {
  const segments: string[] = [];
  let path = '';
  let previousY: number | null = null;
  series.x.forEach((xValue, index) => {
    const yValue = series.y[index];
    if (yValue === null || yValue === undefined || !Number.isFinite(yValue)) {
      if (path) segments.push(path);
      path = '';
      previousY = null;
      return;
    }
    const px = coordinate(x(xValue));
    const py = coordinate(y(yValue));
    if (!path) path = `M${px},${py}`;
    else if (series.step && previousY !== null) path += `H${px}V${py}`;
    else path += `L${px},${py}`;
    previousY = yValue;
  });
  if (path) segments.push(path);
  const dash = DASHES[series.stroke ?? 'solid'];
  const line = `<path class="series" d="${segments.join('')}" fill="none" stroke="${series.color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
  if (!series.points) return line;
  const dots = series.x
    .map((xValue, index) => {
      const yValue = series.y[index];
      return yValue === null || yValue === undefined ? '' : `<circle cx="${coordinate(x(xValue))}" cy="${coordinate(y(yValue))}" r="3.5" fill="${series.color}"/>`;
    })
    .join('');
  return `${line}${dots}`;
}

function band(series: LineSeries, x: LinearScale, y: LinearScale): string {
  const { lower, upper } = series.band!;
  const top = series.x.map((xValue, index) => `${coordinate(x(xValue))},${coordinate(y(upper[index]!))}`);
  const bottom = series.x.map((xValue, index) => `${coordinate(x(xValue))},${coordinate(y(lower[index]!))}`).reverse();
  return `<path class="band" d="M${[...top, ...bottom].join('L')}Z" fill="${series.color}" fill-opacity="0.18" stroke="none"/>`;
}

function barRects(series: BarSeries, index: number, count: number, x: LinearScale, y: LinearScale): string {
  const base = y(Math.max(0, y.domain[0]));
  return series.values
    .map((value, k) => {
      const left = x(series.edges[k]!);
      const width = (x(series.edges[k + 1]!) - left) / count;
      const top = y(value);
      return `<rect class="bar" x="${coordinate(left + index * width + 0.5)}" y="${coordinate(Math.min(top, base))}" width="${coordinate(Math.max(width - 1, 0.5))}" height="${coordinate(Math.abs(base - top))}" fill="${series.color}"/>`;
    })
    .join('');
}

function markerRule(marker: ChartMarker, index: number, x: LinearScale, y: LinearScale): string {
  const px = x(marker.x);
  if (!Number.isFinite(px) || px < MARGIN.left || px > WIDTH - MARGIN.right) return '';
  const labelY = MARGIN.top + 12 + index * 15;
  const anchor = px > WIDTH - MARGIN.right - 110 ? 'end' : 'start';
  const labelX = anchor === 'end' ? px - 5 : px + 5;
  const dot = marker.y === undefined ? '' : `<circle cx="${coordinate(px)}" cy="${coordinate(y(marker.y))}" r="5" fill="${marker.color}" stroke="#fff" stroke-width="1.5"/>`;
  return (
    `<g class="marker"><line x1="${coordinate(px)}" x2="${coordinate(px)}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="${marker.color}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
    `${dot}<text class="marker-label" x="${coordinate(labelX)}" y="${labelY}" text-anchor="${anchor}" fill="${marker.color}">${escapeText(marker.label)}</text></g>`
  );
}

function legend(spec: XyChartSpec): string {
  const items: string[] = [];
  for (const series of spec.series) {
    if (series.kind === 'bars') {
      items.push(`<li><svg class="swatch" viewBox="0 0 24 12" aria-hidden="true"><rect width="24" height="12" fill="${series.color}"/></svg>${escapeText(series.name)}</li>`);
      continue;
    }
    const dash = DASHES[series.stroke ?? 'solid'];
    items.push(`<li><svg class="swatch" viewBox="0 0 24 12" aria-hidden="true"><line x1="0" x2="24" y1="6" y2="6" stroke="${series.color}" stroke-width="3"${dash ? ` stroke-dasharray="${dash === DASHES.dotted ? '2 3' : '6 3'}"` : ''}/></svg>${escapeText(series.name)}</li>`);
    if (series.band) items.push(`<li><svg class="swatch" viewBox="0 0 24 12" aria-hidden="true"><rect width="24" height="12" fill="${series.color}" fill-opacity="0.25"/></svg>${escapeText(series.band.name)}</li>`);
  }
  for (const marker of spec.markers ?? []) {
    items.push(`<li><svg class="swatch" viewBox="0 0 24 12" aria-hidden="true"><line x1="12" x2="12" y1="0" y2="12" stroke="${marker.color}" stroke-width="2" stroke-dasharray="3 2"/></svg>${escapeText(marker.label)}</li>`);
  }
  return `<ul class="legend">${items.join('')}</ul>`;
}
