/**
 * A feature's value in a shop owner's words, for reasons, decision explanations and the
 * dashboard. The words come from a table of `FeatureDisplay` entries: the event features'
 * own (`EVENT_FEATURE_DISPLAY`) under the serving model's (`displaysOf`); a feature the
 * table does not know is shown as `name = value`, its number formatted like every other
 * number a person sees.
 */
import { EVENT_FEATURE_DISPLAY, type FeatureDisplay } from '../features/feature-display.js';
import type { ModelMetadata } from '../model/model-file-schema.js';
import { formatNumber } from './readable-number.js';

/** Feature name → how it reads. */
export type FeatureDisplays = Readonly<Record<string, FeatureDisplay | undefined>>;

const displaysByModel = new WeakMap<ModelMetadata, FeatureDisplays>();

/**
 * The words a model's features read in: the words its file carries
 * (`metadata.options.display`, checked when the file was parsed) over the built-in words
 * of the event features. Worked out once per model.
 *
 * @example
 * describeFeature('Complain', 1, displaysOf(model.metadata)); // 'complained', if the model file says so
 */
export function displaysOf(metadata: ModelMetadata): FeatureDisplays {
  let displays = displaysByModel.get(metadata);
  if (displays === undefined) {
    const carried = metadata.options.display as FeatureDisplays | undefined;
    displays = carried === undefined ? EVENT_FEATURE_DISPLAY : { ...EVENT_FEATURE_DISPLAY, ...carried };
    displaysByModel.set(metadata, displays);
  }
  return displays;
}

/**
 * Describes one feature value: a number (booleans as 1 and 0) through the entry's scale,
 * cases and text; a category in the entry's text; anything else as unknown.
 *
 * @example
 * describeFeature('log_refunds_total', Math.log1p(1)); // '1 refund so far'
 * describeFeature('log_events_30d', 0);                // 'no activity in the last 30 days'
 * describeFeature('Tenure', 12.345);                   // 'Tenure = 12.35'
 * describeFeature('Tenure', 12, { Tenure: { label: 'Tenure', unit: 'months' } }); // 'Tenure: 12 months'
 */
export function describeFeature(feature: string, value: unknown, displays: FeatureDisplays = EVENT_FEATURE_DISPLAY): string {
  const display = Object.hasOwn(displays, feature) ? displays[feature] : undefined;
  if (display === undefined) return rawValue(feature, value);
  const text = display.text ?? `${display.label}: {n}${display.unit === undefined ? '' : ` ${display.unit}`}`;
  // A function replacement, so a category such as "$&" is written as it is, not as a pattern.
  if (typeof value === 'string') return text.includes('{n}') ? text.replaceAll('{n}', () => value) : `${display.label}: ${value}`;
  const number = typeof value === 'boolean' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return `${display.label}: unknown`;
  const decimals = display.decimals ?? 0;
  const quantity = roundTo(displayedQuantity(display.scale ?? 'linear', number), decimals);
  const matched = display.cases?.find((candidate) => quantity <= candidate.atMost);
  return (matched?.text ?? text).replaceAll('{n}', formatNumber(quantity, decimals));
}

/**
 * An eligibility rule's failure, described: the customer's value in words, then the rule as
 * written, e.g. `1 refund so far (rule: log_refunds_total <= 0)`.
 *
 * @example
 * describeRuleFailure('log_refunds_total', Math.log1p(1), '<=', 0); // '1 refund so far (rule: log_refunds_total <= 0)'
 */
export function describeRuleFailure(
  feature: string,
  value: unknown,
  comparison: '<=' | '>=',
  bound: number,
  displays: FeatureDisplays = EVENT_FEATURE_DISPLAY,
): string {
  return `${describeFeature(feature, value, displays)} (rule: ${feature} ${comparison} ${formatNumber(bound)})`;
}

function rawValue(feature: string, value: unknown): string {
  if (value === null || value === undefined) return `${feature} unknown`;
  return `${feature} = ${typeof value === 'number' ? formatNumber(value) : String(value)}`;
}

function displayedQuantity(scale: NonNullable<FeatureDisplay['scale']>, value: number): number {
  switch (scale) {
    case 'log1p':
      // Amounts use a sign-preserving log1p (a refund can make revenue negative).
      return Math.sign(value) * Math.expm1(Math.abs(value));
    case 'percent':
      return value * 100;
    case 'linear':
      return value;
  }
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // + 0 turns -0 (a rounded tiny negative) into 0, so it reads "no ...", not "-0".
  return Math.round(value * factor) / factor + 0;
}
