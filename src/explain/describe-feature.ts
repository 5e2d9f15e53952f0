/**
 * A feature's value in a shop owner's words, for reasons, decision explanations and the
 * dashboard. The words come from a table of `FeatureDisplay` entries (by default the event
 * features' own, `EVENT_FEATURE_DISPLAY`); a feature the table does not know is shown as
 * `name = value`, its number formatted like every other number a person sees.
 */
import { EVENT_FEATURE_DISPLAY, type FeatureDisplay } from '../features/feature-display.js';
import { formatNumber } from './readable-number.js';

/** Feature name → how it reads. */
export type FeatureDisplays = Readonly<Record<string, FeatureDisplay | undefined>>;

/**
 * Describes one feature value.
 *
 * @example
 * describeFeature('log_refunds_total', Math.log1p(1)); // '1 refund so far'
 * describeFeature('log_events_30d', 0);                // 'no activity in the last 30 days'
 * describeFeature('Tenure', 12.345);                   // 'Tenure = 12.35'
 */
export function describeFeature(feature: string, value: unknown, displays: FeatureDisplays = EVENT_FEATURE_DISPLAY): string {
  const display = Object.hasOwn(displays, feature) ? displays[feature] : undefined;
  if (display === undefined || typeof value !== 'number' || !Number.isFinite(value)) return rawValue(feature, value);
  const decimals = display.decimals ?? 0;
  const quantity = roundTo(displayedQuantity(display.scale ?? 'linear', value), decimals);
  const matched = display.cases?.find((candidate) => quantity <= candidate.atMost);
  return (matched?.text ?? display.text).replaceAll('{n}', formatNumber(quantity, decimals));
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
