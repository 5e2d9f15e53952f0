/** What the policy tests build their actions and past decisions from. */
import type { ActionSpec } from '../../../plugin/policy/expected-value.js';
import type { Decision } from '../../../plugin/store/types.js';

export const DAY = 86_400_000;
/** The fixed instant every policy test decides at. */
export const NOW = Date.parse('2026-11-23T12:00:00Z');

/** An action with a 7-day cooldown, no cap and no eligibility rule, unless `extra` says otherwise. */
export function action(name: string, cost: number, successRate: number, extra: Partial<ActionSpec> = {}): ActionSpec {
  return { name, cost, successRate, cooldownMs: 7 * DAY, maxPerCustomer: Infinity, eligibility: [], ...extra };
}

/** Customer c1's decision to take `actionName` at `ts`, as a store logs it. */
export function pastDecision(actionName: string, ts: number): Decision {
  return {
    customerId: 'c1', ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'v', probability: 0.5,
    customerValue: 100, group: 'treatment', action: actionName, cost: 1, expectedValues: {}, skipped: {}, explanation: '',
  };
}
