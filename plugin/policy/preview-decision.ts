/**
 * What the policy would decide for a customer now, recording nothing: the real `decide`,
 * run against a read-only view of the store whose decision write answers as the store's
 * atomic check would (cooldown and cap from the customer's logged decisions, the budget
 * from today's spend) and writes nothing. Cooldowns, caps, eligibility, the hold-out and the
 * budget apply exactly as on a request, because it is the same code.
 */
import { fitsBudget } from '../store/budget-check.js';
import { repeatRefusal, repeatWindowStart } from '../store/repeat-check.js';
import type { ChurnStore, Decision, RepeatLimits } from '../store/types.js';
import { decide, type DecisionInput, type DecisionResult, type DecisionStore, type PolicySettings } from './decide.js';

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
  const dryRun: DecisionStore = {
    decisionsSince: (customerId: string, sinceTs: number) => store.decisionsSince(customerId, sinceTs),
    spent: (day: string) => store.spent(day),
    async recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits) {
      if (limits !== undefined && decision.action !== null) {
        const refusal = repeatRefusal(await store.decisionsSince(decision.customerId, repeatWindowStart(limits)), decision.action, limits);
        if (refusal !== null) return refusal;
      }
      return fitsBudget(await store.spent(decision.day), decision.cost, dailyBudget);
    },
  };
  return decide(settings, dryRun, input, (work) => work);
}
