/** Declarative eligibility: whether an action may be offered to a customer given their features. */
import type { EligibilityRule } from './expected-value.js';

/**
 * The first rule the customer fails, described for the decision log, or null when every
 * rule holds. A missing or non-finite feature fails the rule: eligibility must be proven.
 *
 * @example
 * failedRule([{ feature: 'refundsLast30d', atMost: 0 }], { refundsLast30d: 1 });
 * // 'ineligible: refundsLast30d = 1, expected <= 0'
 */
export function failedRule(rules: readonly EligibilityRule[], features: Readonly<Record<string, unknown>>): string | null {
  for (const rule of rules) {
    const value = features[rule.feature];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `ineligible: ${rule.feature} is unknown`;
    }
    if (rule.atLeast !== undefined && value < rule.atLeast) {
      return `ineligible: ${rule.feature} = ${value}, expected >= ${rule.atLeast}`;
    }
    if (rule.atMost !== undefined && value > rule.atMost) {
      return `ineligible: ${rule.feature} = ${value}, expected <= ${rule.atMost}`;
    }
  }
  return null;
}
