/**
 * Which (action, group) an outcome counts under in the lift report. Shared by the
 * stores so an outcome is attributed the same way whichever adapter records it.
 */
import type { Decision, Group, Outcome } from './types.js';

/** An outcome's place in the lift report; `group` is null when nothing says which group the customer is in. */
export interface OutcomeAttribution {
  /** The action's name, "none" when no action was taken. */
  action: string;
  group: Group | null;
}

/**
 * What the outcome says wins; otherwise the customer's latest decision fills in. An
 * outcome for a customer the policy never saw, with no group given, keeps `group: null`
 * and is left out of the report: counting it in either arm would bias the lift.
 */
export function resolveOutcomeAttribution(outcome: Outcome, latestDecision: Decision | null): OutcomeAttribution {
  const action = outcome.action !== undefined ? outcome.action : (latestDecision?.action ?? null);
  const group = outcome.group ?? latestDecision?.group ?? null;
  return { action: action ?? 'none', group };
}
