/** Declarative eligibility: whether an action may be offered to a customer given their features. */
import { describeRuleFailure } from '../../src/explain/describe-feature.js';
import type { EligibilityRule } from './expected-value.js';

/**
 * The first rule the customer fails, described for the decision log, or null when every
 * rule holds, the customer's value in a shop owner's words beside the rule. A missing or
 * non-finite feature fails the rule: eligibility must be proven.
 *
 * @example
 * failedRule([{ feature: 'log_refunds_total', atMost: 0 }], { log_refunds_total: Math.log1p(1) });
 * // 'ineligible: 1 refund so far (rule: log_refunds_total <= 0)'
 */
export function failedRule(rules: readonly EligibilityRule[], features: Readonly<Record<string, unknown>>): string | null {
  for (const rule of rules) {
    const value = features[rule.feature];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `ineligible: ${rule.feature} is unknown`;
    }
    if (rule.atLeast !== undefined && value < rule.atLeast) {
      return `ineligible: ${describeRuleFailure(rule.feature, value, '>=', rule.atLeast)}`;
    }
    if (rule.atMost !== undefined && value > rule.atMost) {
      return `ineligible: ${describeRuleFailure(rule.feature, value, '<=', rule.atMost)}`;
    }
  }
  return null;
}
