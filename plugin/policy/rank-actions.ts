/**
 * Ranking the candidate actions for one customer: expected value of each, minus the ones
 * that eligibility, cooldown or the per-customer cap rule out. Pure: the same inputs
 * (all logged with the decision) always give the same ranking, so decisions replay.
 */
import { formatDuration } from '../../src/explain/readable-number.js';
import { repeatRefusal } from '../store/repeat-check.js';
import type { PastDecision, RepeatLimits, RepeatRefusal } from '../store/types.js';
import type { ValueBasis } from './action-value.js';
import { failedRule } from './eligibility.js';
import { expectedValue, type ActionSpec } from './expected-value.js';

/** An action still in the running, with what it is expected to be worth. */
export interface Candidate {
  action: ActionSpec;
  expectedValue: number;
}

export interface Ranking {
  /** Actions that pay (EV > 0) and are allowed, best first. */
  candidates: Candidate[];
  /** Every allowed action (eligible, out of cooldown, under the cap), paying or not, in the options' order. */
  allowed: Candidate[];
  /** Actions valued by their uplift model rather than by expected value (`actionValue` given). */
  byUplift: string[];
  /** Expected value of every action considered, "none" included as 0. */
  expectedValues: Record<string, number>;
  /** Why allowed-by-value actions were ruled out: name → reason. */
  skipped: Record<string, string>;
}

export interface RankingInput {
  actions: readonly ActionSpec[];
  churnProbability: number;
  customerValue: number;
  features: Readonly<Record<string, unknown>>;
  /** The customer's earlier decisions within the policy's look-back window. */
  history: readonly PastDecision[];
  /** Window, in ms before `now`, over which `maxPerCustomer` counts. */
  capWindowMs: number;
  now: number;
  /** Values the actions instead of the expected value (e.g. `actionValuer`): value and its basis. */
  actionValue?: (action: ActionSpec) => { value: number; basis: ValueBasis };
}

/**
 * Ranks the actions by expected value after eligibility, cooldown and cap.
 *
 * @example
 * const { candidates } = rankActions({ actions, churnProbability: 0.6, customerValue: 80,
 *   features: { refundsLast30d: 0 }, history: [], capWindowMs: 30 * 86_400_000, now: Date.now() });
 * candidates[0]?.action.name; // the best paying action, if any
 */
export function rankActions(input: RankingInput): Ranking {
  const expectedValues: Record<string, number> = { none: 0 };
  const skipped: Record<string, string> = {};
  const allowed: Candidate[] = [];
  const byUplift: string[] = [];
  for (const action of input.actions) {
    let value: number;
    if (input.actionValue === undefined) value = expectedValue(input.churnProbability, input.customerValue, action.successRate, action.cost);
    else {
      const valued = input.actionValue(action);
      value = valued.value;
      if (valued.basis === 'uplift') byUplift.push(action.name);
    }
    expectedValues[action.name] = value;
    const reason = whyNot(action, input);
    if (reason !== null) skipped[action.name] = reason;
    else allowed.push({ action, expectedValue: value });
  }
  // Stable sort: ties keep the order the options listed the actions in.
  const candidates = allowed.filter((candidate) => candidate.expectedValue > 0).sort((a, b) => b.expectedValue - a.expectedValue);
  return { candidates, allowed, byUplift, expectedValues, skipped };
}

function whyNot(action: ActionSpec, input: RankingInput): string | null {
  const ineligible = failedRule(action.eligibility, input.features);
  if (ineligible !== null) return ineligible;
  const limits = repeatLimits(action, input.now, input.capWindowMs);
  const refusal = repeatRefusal(input.history, action.name, limits);
  if (refusal === null) return null;
  const sameAction = input.history.filter((decision) => decision.action === action.name);
  if (refusal === 'cooldown') {
    const lastTs = sameAction.reduce((latest, decision) => Math.max(latest, decision.ts), -Infinity);
    return `cooldown: last issued ${formatDuration(input.now - lastTs)} ago, cooldown ${formatDuration(action.cooldownMs)}`;
  }
  const issued = sameAction.filter((decision) => decision.ts >= limits.capSince).length;
  return `cap: already issued ${issued} of ${action.maxPerCustomer}`;
}

/**
 * The action's cooldown and cap at `now`, as the ranking applies them to the customer's
 * history: what the store is given to check them again when it records the decision.
 *
 * @example
 * store.recordDecision(decision, dailyBudget, repeatLimits(action, now, settings.capWindowMs));
 */
export function repeatLimits(action: ActionSpec, now: number, capWindowMs: number): RepeatLimits {
  return { cooldownAfter: now - action.cooldownMs, capSince: now - capWindowMs, maxPerCustomer: action.maxPerCustomer };
}

/**
 * The skip reason of an action the ranking allowed and the store refused: a decision logged
 * since the history was read (another request, or another instance: the customer cache
 * had not seen it) reached its cooldown or cap.
 *
 * @example
 * loggedMeanwhile('cooldown', coupon); // 'cooldown: issued moments ago by another request, cooldown 7 days'
 */
export function loggedMeanwhile(refusal: RepeatRefusal, action: ActionSpec): string {
  return refusal === 'cooldown'
    ? `cooldown: issued moments ago by another request, cooldown ${formatDuration(action.cooldownMs)}`
    : `cap: ${action.maxPerCustomer} already issued, the last moments ago by another request`;
}
