/**
 * What the policy would decide for a customer now, recording nothing: the real `decide`,
 * run against a read-only view of the store whose budget check answers from today's spend
 * and writes nothing. Cooldowns, caps, eligibility, the hold-out and the budget apply
 * exactly as on a request, because it is the same code.
 */
import { fitsBudget } from '../store/budget-check.js';
import type { ChurnStore } from '../store/types.js';
import { decide, type DecisionInput, type DecisionResult, type PolicySettings } from './decide.js';

/**
 * The decision a request for this customer would make now; `logged` says whether it would
 * be recorded. Nothing is written and nothing is spent.
 *
 * @example
 * const { action, decision } = await previewDecision(settings, store, { customerId, churnProbability, features, modelVersion, now });
 * // action null and decision.skipped.coupon = "budget: ..." once today's budget cannot pay a coupon
 */
export function previewDecision(
  settings: PolicySettings,
  store: Pick<ChurnStore, 'decisionsSince' | 'spent'>,
  input: DecisionInput,
): Promise<DecisionResult> {
  const dryRun = {
    decisionsSince: (customerId: string, sinceTs: number) => store.decisionsSince(customerId, sinceTs),
    spent: (day: string) => store.spent(day),
    recordDecision: async (decision: { day: string; cost: number }, dailyBudget: number) =>
      fitsBudget(await store.spent(decision.day), decision.cost, dailyBudget),
  };
  return decide(settings, dryRun, input, (work) => work);
}
