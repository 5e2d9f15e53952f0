/**
 * Numbers and durations as people read them, one way everywhere a person sees them
 * (reasons, decision explanations, the dashboard): a value is never printed with all
 * seventeen digits of a double, and two values beside each other have the same decimals.
 */

/**
 * A number for a person: whole numbers as they are, anything else with two decimals, and
 * thousands apart (`1,234.50`). Non-finite numbers are named, never `NaN`-formatted.
 *
 * @example
 * formatNumber(157.5712); // '157.57'
 * formatNumber(109.6274); // '109.63'
 * formatNumber(3);        // '3'
 */
export function formatNumber(value: number, decimals = Number.isInteger(value) ? 0 : 2): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'not a number' : value > 0 ? 'infinite' : '-infinite';
  // toFixed, not toLocaleString: decision explanations are written on the request path, and
  // a locale format costs several microseconds a number.
  const fixed = value.toFixed(decimals);
  const [whole, fraction] = (/^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const UNITS: readonly [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];

/**
 * A duration in the largest unit that gives at least one, rounded: `3 days`, `1 hour`,
 * `45 seconds`.
 *
 * @example
 * formatDuration(3 * 86_400_000); // '3 days'
 * formatDuration(5_400_000);      // '2 hours' (1.5 rounded)
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  const magnitude = Math.abs(ms);
  const [unitMs, unit] = UNITS.find(([size]) => magnitude >= size) ?? UNITS[UNITS.length - 1]!;
  const count = Math.round(ms / unitMs);
  return `${count} ${unit}${Math.abs(count) === 1 ? '' : 's'}`;
}

/** Most decimals a probability is shown with: beyond them, "> 99.9999 %". */
const MAX_PERCENT_DECIMALS = 4;

/**
 * A probability as a percentage with as many decimals (one to four) as it takes to tell it
 * from 0 % and 100 %: fifteen customers at 0.99999, 0.99998 … read "99.9990 %", "99.9980 %",
 * not fifteen times "100.0 %".
 *
 * @example
 * formatProbability(0.4321);     // '43.2 %'
 * formatProbability(0.996);      // '99.6 %'
 * formatProbability(0.99999797); // '99.9998 %'
 * formatProbability(1);          // '100 %'
 */
export function formatProbability(probability: number): string {
  if (!(probability >= 0 && probability <= 1)) return 'not a probability';
  if (probability === 0 || probability === 1) return `${probability * 100} %`;
  const distancePoints = Math.min(probability, 1 - probability) * 100;
  const decimals = Math.max(1, Math.ceil(-Math.log10(distancePoints)));
  if (decimals > MAX_PERCENT_DECIMALS) return probability > 0.5 ? `> ${(100 - 10 ** -MAX_PERCENT_DECIMALS).toFixed(MAX_PERCENT_DECIMALS)} %` : `< ${(10 ** -MAX_PERCENT_DECIMALS).toFixed(MAX_PERCENT_DECIMALS)} %`;
  return `${(probability * 100).toFixed(decimals)} %`;
}
