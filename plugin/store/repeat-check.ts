/**
 * The cooldown and cap rule (`RepeatLimits`) over a customer's logged decisions: what the
 * policy's ranking rules out, and what a store checks inside its atomic decision write
 * (the key-value stores with this very function; SQLite and Redis in SQL and Lua, tested to
 * agree). One rule, so a store never refuses what the ranking allowed from the same decisions,
 * nor allows what it refused.
 */
import type { PastDecision, RepeatLimits, RepeatRefusal } from './types.js';

/**
 * Which limit the decisions of `action` among `decisions` already reach, the cooldown first;
 * null when the action may be issued again.
 *
 * @example
 * repeatRefusal([{ ts: now - 3_600_000, action: 'coupon' }], 'coupon', { cooldownAfter: now - 7 * 86_400_000, capSince: now - 30 * 86_400_000, maxPerCustomer: 2 });
 * // 'cooldown': a coupon an hour ago, within its 7 days
 */
export function repeatRefusal(decisions: readonly PastDecision[], action: string, limits: RepeatLimits): RepeatRefusal | null {
  let issued = 0;
  for (const decision of decisions) {
    if (decision.action !== action) continue;
    if (decision.ts > limits.cooldownAfter) return 'cooldown';
    if (decision.ts >= limits.capSince) issued++;
  }
  return issued >= limits.maxPerCustomer ? 'cap' : null;
}

/**
 * The earliest decision time the limits look at: a store checking them reads the customer's
 * decisions from there on (the cap window only when there is a cap).
 *
 * @example
 * repeatWindowStart({ cooldownAfter: now - 7 * DAY_MS, capSince: now - 30 * DAY_MS, maxPerCustomer: Infinity }); // now - 7 days
 */
export function repeatWindowStart(limits: RepeatLimits): number {
  return limits.maxPerCustomer === Infinity ? limits.cooldownAfter : Math.min(limits.cooldownAfter, limits.capSince);
}

/**
 * Whether a `recordDecision` answer is a refusal by the limits (a string), not the budget's
 * true or false.
 *
 * @example
 * const answer = await store.recordDecision(decision, dailyBudget, limits);
 * if (isRepeatRefusal(answer)) skipped[decision.action!] = answer;
 */
export function isRepeatRefusal(answer: unknown): answer is RepeatRefusal {
  return answer === 'cooldown' || answer === 'cap';
}
