// The demo dashboard: fetches /demo/dashboard.json and draws it with plain DOM and inline
// SVG, so nothing is downloaded at run time. Text goes through textContent only: customer
// ids and reasons come from the store and are never parsed as HTML.

const SVG = 'http://www.w3.org/2000/svg';
const BAND_COLOURS = { low: 'var(--low)', medium: 'var(--medium)', high: 'var(--high)' };

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

const percent = (value) => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`);
// Two decimals and thousands apart, as the server writes money in explanations.
const money = (value) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const productPage = (customerId) => `/products/p-100?customer=${encodeURIComponent(customerId)}`;
// "Today" is the policy's budget day, a UTC date (the budget card names it): a time in the
// browser's zone put a decision made after that midnight on the owner's yesterday evening.
const timeOfDay = (ms) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

/**
 * A customer id as the store holds it, isolated from the text around it: right-to-left
 * letters or an override character (U+202E) in an id cannot reorder the dashboard's own
 * words after it, and a long id breaks instead of widening its table.
 */
const customerName = (customerId) => element('bdi', { class: 'customer-id' }, customerId);

const binLabel = (from, width) => `${percent(from)}–${percent(from + width)}`;

function drawRiskChart(data) {
  const { counts, binWidth } = data.histogram;
  const width = 640;
  const height = 220;
  const margin = { top: 10, right: 24, bottom: 28, left: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const tallest = Math.max(1, ...counts);
  // The figures are in the container's text alternative (below), so the drawing is hidden from screen readers.
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', id: 'risk-svg', 'aria-hidden': 'true' });
  const barWidth = plotWidth / counts.length;
  counts.forEach((count, index) => {
    const from = index * binWidth;
    const bar = svgElement('g', { class: 'risk-bar', 'data-count': count });
    // Each band's customers in its own colour, low at the bottom: a band's cut-off can fall
    // inside a bin, and one colour per bin would count them in the wrong band.
    let stacked = 0;
    const inBands = [];
    for (const band of ['low', 'medium', 'high']) {
      const inBand = data.histogram.countsByBand[band][index];
      if (inBand === 0) continue;
      inBands.push(`${inBand} ${band}`);
      const segmentHeight = (inBand / tallest) * plotHeight;
      stacked += segmentHeight;
      bar.append(svgElement('rect', {
        class: 'risk-segment',
        'data-band': band,
        'data-count': inBand,
        x: margin.left + index * barWidth + 1,
        y: margin.top + plotHeight - stacked,
        width: Math.max(1, barWidth - 2),
        height: segmentHeight,
        fill: BAND_COLOURS[band],
      }));
    }
    const title = svgElement('title');
    title.textContent = `${binLabel(from, binWidth)}: ${count} customers${inBands.length > 1 ? ` (${inBands.join(', ')})` : ''}`;
    bar.prepend(title);
    svg.append(bar);
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const label = svgElement('text', { x: margin.left + tick * plotWidth, y: height - 8, 'text-anchor': 'middle' });
    label.textContent = `${tick * 100} %`;
    svg.append(label);
  }
  const top = svgElement('text', { x: margin.left - 6, y: margin.top + 8, 'text-anchor': 'end' });
  // The tallest bar's count: 0 in an empty store, whose axis is scaled to 1 only to avoid dividing by 0.
  top.textContent = String(Math.max(...counts));
  svg.append(top, svgElement('line', {
    x1: margin.left, x2: margin.left + plotWidth, y1: margin.top + plotHeight, y2: margin.top + plotHeight, stroke: '#98a2b3',
  }));
  const chart = document.getElementById('risk-chart');
  chart.replaceChildren(svg);
  const bandText = ['low', 'medium', 'high'].map((band) => `${band}: ${data.bandCounts[band]}`).join(', ');
  const binText = counts.map((count, index) => `${binLabel(index * binWidth, binWidth)}: ${count}`).join(', ');
  chart.setAttribute('aria-label', `Churn probabilities of ${data.customers} customers; by band ${bandText}; by bin ${binText}.`);

  const legend = document.getElementById('band-legend');
  legend.replaceChildren(
    ...['low', 'medium', 'high'].map((band) =>
      element('li', {}, element('span', { class: 'swatch', style: `background:${BAND_COLOURS[band]}` }), `${band}: ${data.bandCounts[band]}`),
    ),
  );
}

function drawBudget(data) {
  const { spent, dailyBudget, day } = data.budget;
  const children = [element('div', { class: 'big' }, money(spent))];
  if (dailyBudget === null) {
    children.push(element('p', { class: 'muted' }, `spent on ${day}; no daily budget set`));
  } else {
    const share = dailyBudget > 0 ? Math.min(1, spent / dailyBudget) : 1;
    const fill = element('div', { style: `width:${(share * 100).toFixed(1)}%` });
    const meter = { class: 'meter', role: 'progressbar', 'aria-label': 'Budget used today', 'aria-valuenow': (share * 100).toFixed(0), 'aria-valuetext': `${money(spent)} of ${money(dailyBudget)}` };
    children.push(element('div', meter, fill));
    children.push(element('p', { class: 'muted' }, `of ${money(dailyBudget)} on ${day} (${percent(share)})`));
  }
  const totalCost = data.retention.reduce((sum, row) => sum + row.cost, 0);
  const issued = data.retention.reduce((sum, row) => sum + row.issued, 0);
  children.push(element('p', { class: 'muted' }, `All days: ${issued} actions issued, ${money(totalCost)} spent.`));
  document.getElementById('budget').replaceChildren(...children);
}

function reasonItem(reason) {
  const direction = reason.contribution >= 0 ? 'up' : 'down';
  const arrow = direction === 'up' ? '▲' : '▼';
  // The words for the owner; the raw feature and its share of the logit for whoever digs.
  const raw = `${reason.feature} = ${reason.value}, ${reason.contribution >= 0 ? '+' : ''}${reason.contribution.toFixed(2)} to the log-odds`;
  return element('li', { title: raw }, element('span', { class: direction, 'aria-label': direction === 'up' ? 'raises risk' : 'lowers risk' }, arrow), ` ${reason.text}`);
}

/** What the policy did today, or would do on the customer's next visit. */
function actionCell(customer) {
  const name = customer.action ?? 'nothing';
  let status;
  if (customer.decidedAt !== null) {
    status = customer.group === 'holdout'
      ? `held out today at ${timeOfDay(customer.decidedAt)}: nothing issued`
      : `issued today at ${timeOfDay(customer.decidedAt)}`;
  } else {
    status = customer.group === 'holdout' ? 'held out: nothing is issued on a visit' : 'on their next visit';
  }
  return element(
    'td',
    { class: 'action' },
    element('strong', {}, name),
    ` · ${status}`,
    element('div', { class: 'muted' }, customer.explanation),
  );
}

/** Why a list of customers is empty when the store has no customer to score. */
const noCustomers = (data) =>
  data.unreadableCustomers > 0
    ? 'No customer whose stored data can be read.'
    : 'No customers in the store yet: a customer comes with their first event (POST /churn/events).';

/** A table's only row when it has nothing to list, saying why. */
const emptyRow = (columns, text) => element('tr', {}, element('td', { colspan: columns, class: 'muted' }, text));

function drawAtRisk(data) {
  const rows = data.atRisk.map((customer) =>
    element(
      'tr',
      { 'data-customer': customer.customerId },
      element('td', {}, element('a', { href: productPage(customer.customerId), title: `Open the shop as ${customer.customerId}` }, customerName(customer.customerId))),
      element('td', { class: 'number' }, money(customer.expectedLoss)),
      element('td', { class: 'number' }, customer.probabilityText, ' ', element('span', { class: `band ${customer.band}` }, customer.band)),
      element('td', { class: 'number' }, money(customer.customerValue)),
      element('td', {}, element('ul', { class: 'reasons' }, ...customer.reasons.map(reasonItem))),
      actionCell(customer),
    ),
  );
  document.querySelector('#at-risk tbody').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(6, noCustomers(data))]));
}

/** Links to the product page of the first few customers a visit would get an offer for. */
function drawTryLinks(data) {
  const offered = data.atRisk.filter((customer) => customer.decidedAt === null && customer.group === 'treatment' && customer.action !== null);
  const items = offered.slice(0, 3).map((customer) => {
    // Why act, as the product page's banner says it: the strongest reason that raised the risk (one that lowered it is none).
    const why = customer.reasons.find((reason) => reason.contribution > 0);
    return element(
      'li',
      {},
      element('a', { href: productPage(customer.customerId) }, 'Shop as ', customerName(customer.customerId)),
      element('span', { class: 'muted' }, ` would get: ${customer.action}${why ? `; ${why.text}` : ''}`),
    );
  });
  if (items.length === 0) {
    const why = data.customers === 0 ? noCustomers(data) : 'Nobody on the list would get an offer right now (budget spent, cooldowns or hold-out).';
    items.push(element('li', { class: 'muted' }, why));
  }
  document.getElementById('try-links').replaceChildren(...items);
}

function groupCell(group) {
  return element('td', { class: 'number' }, `${percent(group.retention)} of ${group.customers}`);
}

function drawRetention(data) {
  const rows = data.retention.map((row) => {
    const interval = row.confidenceInterval;
    const lift = row.lift === null ? '–' : `${(row.lift * 100).toFixed(1)} pts [${(interval.low * 100).toFixed(1)}, ${(interval.high * 100).toFixed(1)}]`;
    return element(
      'tr',
      {},
      element('td', {}, row.action),
      groupCell(row.treatment),
      groupCell(row.holdout),
      element('td', { class: 'number' }, lift),
      element('td', { class: 'number' }, `${row.issued} (+${row.heldOut} held out)`),
      element('td', { class: 'number' }, money(row.cost)),
    );
  });
  document.querySelector('#retention tbody').replaceChildren(...(rows.length > 0 ? rows : [emptyRow(6, 'No decisions logged yet: the policy logs one when a known customer is scored on a visit.')]));
}

const signed = (value, digits = 3) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
const BASIS_WORDS = { uplift: 'ranked by its uplift model', 'expected-value': 'ranked by P(churn) × success rate', mixed: 'ranked partly by its uplift model' };

/** One action's Qini curve: the band, the curve, and random targeting, on shared axes. */
function qiniChart(entry) {
  const { share, qini, bands } = entry.evaluation;
  const width = 320;
  const height = 200;
  const margin = { top: 10, right: 22, bottom: 26, left: 46 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const finite = (values) => values.filter((value) => Number.isFinite(value));
  const values = [0, ...qini, ...finite(bands.qini.map((band) => band.low)), ...finite(bands.qini.map((band) => band.high))];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const x = (value) => margin.left + value * plotWidth;
  const y = (value) => margin.top + plotHeight - ((value - low) / span) * plotHeight;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'qini-svg', 'data-action': entry.action });
  const banded = share.map((at, index) => [at, bands.qini[index]]).filter(([, band]) => Number.isFinite(band.low) && Number.isFinite(band.high));
  if (banded.length > 1) {
    const upper = banded.map(([at, band]) => `${x(at).toFixed(1)},${y(band.high).toFixed(1)}`);
    const lower = banded.map(([at, band]) => `${x(at).toFixed(1)},${y(band.low).toFixed(1)}`).reverse();
    svg.append(svgElement('polygon', { class: 'qini-band', points: [...upper, ...lower].join(' ') }));
  }
  const last = qini[qini.length - 1];
  svg.append(svgElement('line', { class: 'qini-random', x1: x(0), y1: y(0), x2: x(1), y2: y(last) }));
  svg.append(svgElement('polyline', { class: 'qini-curve', points: share.map((at, index) => `${x(at).toFixed(1)},${y(qini[index]).toFixed(1)}`).join(' ') }));
  svg.append(svgElement('line', { x1: margin.left, x2: margin.left + plotWidth, y1: y(0), y2: y(0), stroke: '#e4e7ec' }));
  for (const tick of [0, 0.5, 1]) {
    const label = svgElement('text', { x: x(tick), y: height - 8, 'text-anchor': 'middle' });
    label.textContent = `${tick * 100} %`;
    svg.append(label);
  }
  for (const value of [low, high]) {
    const label = svgElement('text', { x: margin.left - 4, y: y(value) + 3, 'text-anchor': 'end' });
    label.textContent = signed(value);
    svg.append(label);
  }
  const title = svgElement('title');
  title.textContent = `Qini curve of ${entry.action}: targeting the top share of ${entry.treated + entry.heldOut} decisions`;
  svg.prepend(title);
  return svg;
}

function drawQini(data) {
  const panel = document.getElementById('qini');
  if (data.qini === null) {
    panel.replaceChildren(element('p', { class: 'muted' }, 'This store cannot read its decision log back, so there is no curve to draw.'));
    return;
  }
  panel.replaceChildren(
    ...data.qini.map((entry) => {
      const counts = `${entry.treated} treated, ${entry.heldOut} held out with outcomes`;
      if (entry.evaluation === null) {
        return element('figure', { 'data-action': entry.action }, element('figcaption', {}, element('strong', {}, entry.action), ` · ${counts}: not enough decisions in both arms yet.`));
      }
      const { coefficient, bands } = entry.evaluation;
      const verdict = bands.coefficient.low > 0 ? 'better than random' : bands.coefficient.high < 0 ? 'worse than random' : 'not yet distinguishable from random';
      return element(
        'figure',
        { 'data-action': entry.action },
        qiniChart(entry),
        element(
          'figcaption',
          {},
          element('strong', {}, entry.action),
          ` · Qini coefficient `,
          element('span', { class: 'qini-coefficient' }, signed(coefficient, 4)),
          ` [${signed(bands.coefficient.low, 4)}, ${signed(bands.coefficient.high, 4)}]: ${verdict}`,
          element('div', { class: 'muted' }, `${BASIS_WORDS[entry.basis]}; ${counts}.`),
        ),
      );
    }),
  );
}

/** The bin whose live share is furthest from its training share, as "label: 12.0 % → 31.0 %". */
function movedMost(entry) {
  // Below the minimum the live shares are a handful of customers (none at all at first): no move to report.
  if (entry.psi === null) return '–';
  let most = null;
  for (const bin of entry.bins) if (most === null || Math.abs(bin.actual - bin.expected) > Math.abs(most.actual - most.expected)) most = bin;
  return most === null ? '–' : `${most.label}: ${percent(most.expected)} → ${percent(most.actual)}`;
}

/**
 * The band, or why there is none: too few customers scored yet, or, for a column of many
 * categories, more customers needed than the window ever holds (its PSI stays empty, and
 * "too few yet" would promise one).
 */
function driftBand(entry, windowSize) {
  if (entry.band !== null) return element('span', { class: `band ${entry.band}` }, entry.band);
  if (entry.minObservations > windowSize) {
    return element('span', { class: 'muted' }, `not measured: needs ${entry.minObservations.toLocaleString('en-US')} customers, the window holds ${windowSize.toLocaleString('en-US')}`);
  }
  return element('span', { class: 'muted' }, 'too few yet');
}

function driftRow(entry, windowSize) {
  const band = driftBand(entry, windowSize);
  return element(
    'tr',
    { 'data-feature': entry.feature },
    element('td', {}, entry.feature === 'score' ? 'churn score' : entry.feature),
    element('td', { class: 'number' }, entry.psi === null ? '–' : entry.psi.toFixed(3)),
    element('td', {}, band),
    element('td', {}, movedMost(entry)),
  );
}

/** The drift panel: the score first, then the inputs that moved most (GET /churn/drift). */
async function drawDrift() {
  const response = await fetch('/churn/drift');
  if (!response.ok) throw new Error(`drift: HTTP ${response.status}`);
  const drift = await response.json();
  const summary = document.getElementById('drift-summary');
  if (!drift.available) {
    summary.textContent = drift.reason;
    document.querySelector('#drift tbody').replaceChildren();
    return;
  }
  summary.textContent =
    drift.observations >= drift.minObservations
      ? `Over the last ${drift.observations} customers scored.`
      : `${drift.observations} customers scored so far; the index is shown from ${drift.minObservations} on (fewer would be noise).`;
  const row = (entry) => driftRow(entry, drift.window);
  document.querySelector('#drift tbody').replaceChildren(row(drift.score), ...drift.features.slice(0, 10).map(row));
}

async function main() {
  const response = await fetch('/demo/dashboard.json');
  if (!response.ok) throw new Error(`dashboard data: HTTP ${response.status}`);
  const data = await response.json();
  document.getElementById('summary').textContent =
    `${data.customers} customers · model ${data.modelVersion} · scored ${new Date(data.scoredAt).toLocaleString()}`;
  if (data.unreadableCustomers > 0) {
    const unreadable = document.getElementById('unreadable');
    unreadable.hidden = false;
    unreadable.textContent = data.unreadableCustomers === 1
      ? '1 customer is left out: their stored data could not be read (see the server log).'
      : `${data.unreadableCustomers} customers are left out: their stored data could not be read (see the server log).`;
  }
  drawRiskChart(data);
  drawBudget(data);
  drawTryLinks(data);
  drawAtRisk(data);
  drawRetention(data);
  drawQini(data);
  await drawDrift();
  document.body.dataset.ready = 'true';
}

/** How long the page waits before asking again when the server did not answer (restarting, or the network dropped). */
const RETRY_MS = 5000;

/** Draws the dashboard; when the server fails to answer, says so at the top and tries again until it does. */
function load() {
  const box = document.getElementById('error');
  main().then(
    () => {
      box.hidden = true;
    },
    (error) => {
      box.hidden = false;
      box.textContent = `Could not load the dashboard: ${error.message}. Trying again in ${RETRY_MS / 1000} s.`;
      console.error(error);
      setTimeout(load, RETRY_MS);
    },
  );
}

load();
