/**
 * Which recorded outcome belongs to which logged decision, shared by the stores so the
 * training log reads the same from SQLite and Redis. An outcome belongs to a decision of
 * the same customer when it was attributed to the decision's action and group
 * (`outcome-attribution.ts`) and recorded at or after the decision and before the
 * customer's next decision; the latest recorded of those counts, as in the lift report
 * (`outcomeReport`: a customer's latest outcome in an arm): a retry changes nothing, and a
 * corrected outcome trains the uplift models as it counts in the report.
 */
import type { Decision, Group, LoggedDecision } from './types.js';

/** An outcome as the stores keep it: attributed to an action ("none" for no action) and maybe a group. */
export interface AttributedOutcome {
  ts: number;
  retained: boolean;
  action: string;
  group: Group | null;
}

/**
 * One customer's decisions (in time order) paired with their outcomes (in recording order).
 *
 * @example
 * pairOutcomes([couponDecision], [{ ts: later, retained: true, action: 'coupon', group: 'treatment' }]);
 * // [{ decision: couponDecision, outcome: { ts: later, retained: true } }]
 */
export function pairOutcomes(decisions: readonly Decision[], outcomes: readonly AttributedOutcome[]): LoggedDecision[] {
  return decisions.map((decision, index) => {
    const next = decisions[index + 1];
    const outcome = outcomes.findLast(
      (candidate) =>
        candidate.action === (decision.action ?? 'none') &&
        candidate.group === decision.group &&
        candidate.ts >= decision.ts &&
        (next === undefined || candidate.ts < next.ts),
    );
    return { decision, outcome: outcome === undefined ? null : { ts: outcome.ts, retained: outcome.retained } };
  });
}
