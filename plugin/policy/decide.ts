/**
 * One policy decision for one customer: group, ranking, budget, and the logged record.
 * The only stateful step is the store: the customer's recent decisions (cooldown, cap)
 * and the atomic write that checks the budget, the cooldown and the cap again as it records
 * the decision.
 */
import type { RawRecord } from '../../src/model/feature-spec.js';
import { fitsBudget } from '../store/budget-check.js';
import { isRepeatRefusal } from '../store/repeat-check.js';
import type { ChurnStore, Decision, Group, PastDecision } from '../store/types.js';
import { actionValuer, type UpliftSettings } from './action-value.js';
import type { BudgetRefusals } from './budget-refusals.js';
import { explainDecision } from './explanation.js';
import type { ActionSpec } from './expected-value.js';
import { explorationPick, isExplored, type ExplorationSettings } from './exploration.js';
import { assignGroup } from './holdout.js';
import { loggedMeanwhile, rankActions, repeatLimits, type Candidate, type Ranking, type RankingInput } from './rank-actions.js';
import { DAY_MS } from '../../src/events/day.js';

/** The policy part of the resolved plugin options. */
export interface PolicySettings {
  actions: readonly ActionSpec[];
  capWindowMs: number;
  dailyBudget: number;
  holdoutFraction: number;
  holdoutSalt: string;
  customerValue: (features: Readonly<Record<string, unknown>>) => number;
  /** Value actions by their uplift models where trusted (action-value.ts); absent: expected value only. */
  uplift?: UpliftSettings;
  /** ε-greedy exploration (exploration.ts); absent or rate 0: none. */
  exploration?: ExplorationSettings;
  /** Log the features each decision was made on, the rows uplift models learn from. */
  logFeatures?: boolean;
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

/** What deciding needs from a store: the customer's past decisions, and the atomic check (budget, cooldown, cap) that records one. */
export type DecisionStore = Pick<ChurnStore, 'decisionsSince' | 'recordDecision' | 'spent'>;

/**
 * Wraps every store promise of a decision (the time budget on the request path). `write`
 * marks the decision's write: the one call that can still take effect after the request
 * has stopped waiting for it (logged, and charged in treatment, while the page failed open).
 */
export type StoreCall = <T>(work: Promise<T>, what: string, write?: 'decision') => Promise<T>;

export interface DecisionInput {
  customerId: string;
  churnProbability: number;
  features: Readonly<Record<string, unknown>>;
  modelVersion: string;
  now: number;
  /**
   * The customer's decisions since `decisionsWindowStart(settings, now)`, when the caller
   * already has them (the store's one-statement customer read, `readCustomerNow`); without it
   * they are read from the store when some action pays.
   */
  history?: readonly PastDecision[];
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
  store: DecisionStore,
  input: DecisionInput,
  storeCall: StoreCall,
  refusals?: BudgetRefusals,
): Promise<DecisionResult> {
  return decideNow(settings, store, input, storeCall, refusals);
}

/**
 * `decide`, answering synchronously when no store call is needed: no action pays (most
 * customers), or the paying ones are ruled out by past decisions given in `input.history`
 * or by the budget's known refusals, so there is nothing to log. The request path then
 * serves a cold view in the same tick, with no promise. Otherwise the
 * promise of the result. Throws (or rejects) what `decide` rejects with.
 *
 * @example
 * const result = decideNow(settings, store, input, (work) => work);
 * const { action } = result instanceof Promise ? await result : result;
 */
export function decideNow(
  settings: PolicySettings,
  store: DecisionStore,
  input: DecisionInput,
  storeCall: StoreCall,
  refusals?: BudgetRefusals,
): DecisionResult | Promise<DecisionResult> {
  const group = assignGroup(input.customerId, settings.holdoutFraction, settings.holdoutSalt);
  const customerValue = safeCustomerValue(settings, input.features);
  const day = utcDay(input.now);
  const exploring = settings.exploration !== undefined && isExplored(settings.exploration, input.customerId, day);
  const rankingInput: RankingInput = {
    actions: settings.actions,
    churnProbability: input.churnProbability,
    customerValue,
    features: input.features,
    history: NO_HISTORY,
    capWindowMs: settings.capWindowMs,
    now: input.now,
    actionValue:
      settings.uplift === undefined
        ? undefined
        : actionValuer(settings.uplift, { churnProbability: input.churnProbability, customerValue, features: input.features as RawRecord }),
  };
  const base: DecisionBase = { settings, store, input, storeCall, refusals, group, customerValue, day, exploring };
  // Past decisions can only rule actions out, so they are read only when some action
  // pays (or may be explored): most customers are low-risk, and they cost the request no
  // second store read.
  const ranking = rankActions(rankingInput);
  if (!mayIssue(ranking, exploring)) return nothingIssued(base, ranking);
  const rankWith = (history: readonly PastDecision[]) => {
    // No past decisions rule nothing out: the ranking just made stands.
    if (history.length === 0) return issueNow(base, ranking);
    rankingInput.history = history;
    return issueNow(base, rankActions(rankingInput));
  };
  if (input.history !== undefined) return rankWith(input.history);
  return storeCall(store.decisionsSince(input.customerId, decisionsWindowStart(settings, input.now)), 'reading past decisions').then(rankWith);
}

/** Whether some action pays, or may be explored: only then is there anything to check or log. */
function mayIssue(ranking: Ranking, exploring: boolean): boolean {
  return ranking.candidates.length > 0 || (exploring && ranking.allowed.length > 0);
}

/**
 * `issue`, answered synchronously when no candidate is left to try: every paying action
 * ruled out by the customer's past decisions, or refused by the budget earlier today (the
 * usual cold view once the day's budget is spent). Then there is nothing to write and no
 * promise to wait for.
 */
function issueNow(base: DecisionBase, ranking: Ranking): DecisionResult | Promise<DecisionResult> {
  if (!mayIssue(ranking, base.exploring)) return nothingIssued(base, ranking);
  const { refusals, day, settings } = base;
  if (!base.exploring && refusals !== undefined && ranking.candidates.every((candidate) => refusals.refuses(day, candidate.action.cost, settings.dailyBudget))) {
    for (const candidate of ranking.candidates) ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, day);
    return nothingIssued(base, ranking);
  }
  return issue(base, ranking);
}

const NO_HISTORY: readonly PastDecision[] = Object.freeze([]);

/** What every step of one decision shares. */
interface DecisionBase {
  settings: PolicySettings;
  store: DecisionStore;
  input: DecisionInput;
  storeCall: StoreCall;
  refusals: BudgetRefusals | undefined;
  group: Group;
  customerValue: number;
  day: string;
  exploring: boolean;
}

/**
 * Tries the paying (or explored) actions in turn, logging the first the store accepts: its
 * write checks the budget, and the cooldown and cap again (a decision another request logged
 * since the history was read); a refused action is skipped with the store's reason.
 */
async function issue(base: DecisionBase, ranking: Ranking): Promise<DecisionResult> {
  const { settings, store, input, storeCall, refusals, group, day } = base;
  const explored = base.exploring ? ranking.allowed[explorationPick(settings.exploration!, input.customerId, day, ranking.allowed.length)] : undefined;
  // An explored action goes first; should the budget refuse it, the best paying ones follow.
  const queue: Candidate[] = explored === undefined ? ranking.candidates : [explored, ...ranking.candidates.filter((candidate) => candidate !== explored)];
  for (const candidate of queue) {
    const fullCost = candidate.action.cost;
    if (refusals?.refuses(day, fullCost, settings.dailyBudget)) {
      ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, day);
      continue;
    }
    // The hold-out spends nothing, but its would-be decision is logged only where the
    // treated arm could have afforded it: otherwise, once the day's budget runs out, the
    // hold-out would keep collecting customers the treated arm no longer reaches, and the
    // two arms of an action would no longer be alike (lift report, uplift learning).
    if (group === 'holdout' && fullCost > 0 && Number.isFinite(settings.dailyBudget)) {
      const spent = await storeCall(store.spent(day), "reading the day's spend");
      if (!fitsBudget(spent, fullCost, settings.dailyBudget)) {
        refusals?.remember(day, fullCost, settings.dailyBudget);
        ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, day);
        continue;
      }
    }
    const decision: Decision = {
      ...decisionFields(base, ranking),
      ...(settings.logFeatures ? { features: loggableFeatures(input.features) } : {}),
      action: candidate.action.name,
      cost: group === 'treatment' ? fullCost : 0,
      skipped: { ...ranking.skipped },
      explanation: explainDecision(ranking.expectedValues, ranking.skipped, group, explanationNotes(settings, ranking, candidate === explored ? candidate : undefined)),
      ...(candidate === explored ? { explored: true } : {}),
    };
    const limits = repeatLimits(candidate.action, input.now, settings.capWindowMs);
    const answer = await storeCall(store.recordDecision(decision, settings.dailyBudget, limits), 'recording the decision', 'decision');
    // Another request logged this action since the history was read: a fact about the
    // customer, not the budget, so it is not remembered as a budget refusal.
    if (isRepeatRefusal(answer)) {
      ranking.skipped[candidate.action.name] = loggedMeanwhile(answer, candidate.action);
      continue;
    }
    // Truthy, as before the limits: a custom store's answer was never held to a boolean.
    if (answer) {
      const action = group === 'treatment' ? { name: candidate.action.name, cost: fullCost, expectedValue: candidate.expectedValue } : null;
      return { group, action, decision, logged: true };
    }
    refusals?.remember(day, fullCost, settings.dailyBudget);
    ranking.skipped[candidate.action.name] = overBudget(settings.dailyBudget, day);
  }
  return nothingIssued(base, ranking);
}

/**
 * The fields every decision of this customer and ranking logs, in the logged order (built as
 * literals: an object spread here cost the request path several µs per decision).
 */
function decisionFields(base: DecisionBase, ranking: Ranking): Omit<Decision, 'action' | 'cost' | 'skipped' | 'explanation'> {
  const { input } = base;
  return {
    customerId: input.customerId,
    ts: input.now,
    day: base.day,
    modelVersion: input.modelVersion,
    probability: input.churnProbability,
    customerValue: base.customerValue,
    group: base.group,
    expectedValues: ranking.expectedValues,
  };
}

function explanationNotes(settings: PolicySettings, ranking: Ranking, explored: Candidate | undefined): Parameters<typeof explainDecision>[3] {
  if (explored === undefined) return { byUplift: ranking.byUplift };
  return { byUplift: ranking.byUplift, explored: { action: explored.action.name, rate: settings.exploration!.rate } };
}

/**
 * The "do nothing" decision, returned and never stored. Its `explanation` is worked out
 * when first read (a page that reads only `action` never pays for the text, about a
 * prediction's cost), then kept; it reads as the same string it always was.
 */
function nothingIssued(base: DecisionBase, ranking: Ranking): DecisionResult {
  const decision = decisionFields(base, ranking) as Omit<Decision, 'explanation'>;
  decision.action = null;
  decision.cost = 0;
  decision.skipped = ranking.skipped;
  const source: ExplanationSource = { ranking, group: base.group, notes: explanationNotes(base.settings, ranking, undefined) };
  Object.defineProperty(decision, EXPLANATION_SOURCE, { value: source, enumerable: false });
  Object.defineProperty(decision, 'explanation', explanationProperty);
  return { group: base.group, action: null, decision: decision as Decision, logged: false };
}

interface ExplanationSource {
  ranking: Ranking;
  group: Group;
  notes: Parameters<typeof explainDecision>[3];
  text?: string;
}

const EXPLANATION_SOURCE = Symbol('churnkit.explanationSource');

/** One accessor shared by every unlogged decision (a closure per decision would give each its own hidden class). */
const explanationProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: { [EXPLANATION_SOURCE]: ExplanationSource }): string {
    const source = this[EXPLANATION_SOURCE];
    source.text ??= explainDecision(source.ranking.expectedValues, source.ranking.skipped, source.group, source.notes);
    return source.text;
  },
};

/** The features as plain JSON values (the record may be a frozen, shared object). */
function loggableFeatures(features: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | null> {
  const plain: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(features)) {
    if (typeof value === 'number') plain[name] = Number.isFinite(value) ? value : null;
    else if (typeof value === 'string' || typeof value === 'boolean' || value === null) plain[name] = value;
  }
  return plain;
}

function overBudget(dailyBudget: number, day: string): string {
  return `budget: ${dailyBudget} for ${day} would be exceeded`;
}

/**
 * The earliest decision time cooldowns and caps look at (`now` minus the longest of them):
 * the `sinceTs` of the decisions a caller reads for `DecisionInput.history`.
 *
 * @example
 * const { features, decisions } = await store.readCustomerNow(id, now, decisionsWindowStart(settings, now));
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
