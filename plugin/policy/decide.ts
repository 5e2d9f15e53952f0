/**
 * One policy decision for one customer: group, ranking, budget, and the logged record.
 * The only stateful step is the store: the customer's recent decisions (cooldown, cap)
 * and the atomic budget check that records the decision.
 */
import type { ChurnStore, Decision, Group } from '../store/types.js';
import type { BudgetRefusals } from './budget-refusals.js';
import { explainDecision } from './explanation.js';
import type { ActionSpec } from './expected-value.js';
import { assignGroup } from './holdout.js';
import { rankActions } from './rank-actions.js';
import { DAY_MS } from '../../src/events/day.js';

/** The policy part of the resolved plugin options. */
export interface PolicySettings {
  actions: readonly ActionSpec[];
  capWindowMs: number;
  dailyBudget: number;
  holdoutFraction: number;
  holdoutSalt: string;
  customerValue: (features: Readonly<Record<string, unknown>>) => number;
}

/** The action handed to the storefront (treatment group only). */
export interface ChosenAction {
  name: string;
  cost: number;
  expectedValue: number;
}

export interface DecisionResult {
  group: Group;
  action: ChosenAction | null;
  decision: Decision;
  /** Whether the decision was written to the store (only decisions naming an action are). */
  logged: boolean;
}

export interface DecisionInput {
  customerId: string;
  churnProbability: number;
  features: Readonly<Record<string, unknown>>;
  modelVersion: string;
  now: number;
  /**
   * The customer's decisions since `decisionsWindowStart(settings, now)`, when the caller
   * already has them (the store's one-statement customer read, `readCustomer`); without it
   * they are read from the store when some action pays.
   */
  history?: readonly Decision[];
}

/**
 * Decides what to do for one customer and logs the decision when it names an action.
 * Hold-out customers get `action: null`, but what *would* have been issued is logged
 * under their group (cost 0, nothing spent), so the lift report compares like with like.
 * "Do nothing" decisions are returned, not stored: a product page scored on every view
 * would otherwise write on every view.
 *
 * `storeCall` wraps every store promise (the time budget on the request path).
 * `refusals`, when given, skips candidates the store is already known to refuse today
 * (the same answer, without the write).
 *
 * @example
 * const { action, decision } = await decide(settings, store, input, (work) => work);
 */
export async function decide(
  settings: PolicySettings,
  store: ChurnStore,
  input: DecisionInput,
  storeCall: <T>(work: Promise<T>, what: string) => Promise<T>,
  refusals?: BudgetRefusals,
): Promise<DecisionResult> {
  const group = assignGroup(input.customerId, settings.holdoutFraction, settings.holdoutSalt);
  const customerValue = safeCustomerValue(settings, input.features);
  const rankingInput = {
    actions: settings.actions,
    churnProbability: input.churnProbability,
    customerValue,
    features: input.features,
    history: [],
    capWindowMs: settings.capWindowMs,
    now: input.now,
  };
  // Past decisions can only rule actions out, so they are read only when some action
  // pays: most customers are low-risk, and they cost the request no second store read.
  let ranking = rankActions(rankingInput);
  if (ranking.candidates.length > 0) {
    const history = input.history ?? (await storeCall(store.decisionsSince(input.customerId, decisionsWindowStart(settings, input.now)), 'reading past decisions'));
    ranking = rankActions({ ...rankingInput, history });
  }
  const base = {
    customerId: input.customerId,
    ts: input.now,
    day: utcDay(input.now),
    modelVersion: input.modelVersion,
    probability: input.churnProbability,
    customerValue,
    group,
    expectedValues: ranking.expectedValues,
  };
  for (const candidate of ranking.candidates) {
    const cost = group === 'treatment' ? candidate.action.cost : 0;
    if (refusals?.refuses(base.day, cost, settings.dailyBudget)) {
      ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, base.day);
      continue;
    }
    const decision: Decision = {
      ...base,
      action: candidate.action.name,
      cost,
      skipped: { ...ranking.skipped },
      explanation: explainDecision(ranking.expectedValues, ranking.skipped, group),
    };
    if (await storeCall(store.recordDecision(decision, settings.dailyBudget), 'recording the decision')) {
      const action = group === 'treatment' ? { name: candidate.action.name, cost: candidate.action.cost, expectedValue: candidate.expectedValue } : null;
      return { group, action, decision, logged: true };
    }
    refusals?.remember(base.day, cost, settings.dailyBudget);
    ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, base.day);
  }
  const decision: Decision = {
    ...base,
    action: null,
    cost: 0,
    skipped: ranking.skipped,
    explanation: explainDecision(ranking.expectedValues, ranking.skipped, group),
  };
  return { group, action: null, decision, logged: false };
}

function overBudget(dailyBudget: number, day: string): string {
  return `budget: ${dailyBudget} for ${day} would be exceeded`;
}

/**
 * The earliest decision time cooldowns and caps look at (`now` minus the longest of them):
 * the `sinceTs` of the decisions a caller reads for `DecisionInput.history`.
 *
 * @example
 * const { features, decisions } = await store.readCustomer(id, now, decisionsWindowStart(settings, now));
 */
export function decisionsWindowStart(settings: PolicySettings, now: number): number {
  let longest = settings.capWindowMs;
  for (const action of settings.actions) longest = Math.max(longest, action.cooldownMs);
  return now - longest;
}

/** The last UTC day formatted: every request of a day asks for the same string. */
let formattedDay = { index: NaN, text: '' };

/** UTC yyyy-mm-dd of an epoch-ms time. */
function utcDay(ms: number): string {
  const index = Math.floor(ms / DAY_MS);
  if (index !== formattedDay.index) formattedDay = { index, text: new Date(ms).toISOString().slice(0, 10) };
  return formattedDay.text;
}

/**
 * A customer-value hook that throws or returns garbage values the customer at 0, never NaN.
 *
 * @example
 * safeCustomerValue(settings, { log_revenue_365d: 4.2 }); // settings.customerValue(...), or 0
 */
export function safeCustomerValue(settings: PolicySettings, features: Readonly<Record<string, unknown>>): number {
  try {
    const value = settings.customerValue(features);
    return Number.isFinite(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}
