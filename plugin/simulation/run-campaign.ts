/**
 * A retention campaign on the simulated store, run with the plugin's real policy code
 * (`decide`: eligibility, cooldown, cap, the hold-out, the atomic daily budget) against real
 * stores, while the simulator knows each customer's hidden response type. Several policies
 * can run over the same world in one pass, each with its own store, so they face exactly the
 * same customers on the same days.
 *
 * Day by day: the world simulates the day; during the campaign, every customer who came that
 * day (in the order they first came) is scored by the churn model on the features the store
 * would hold for them (the same online fold, up to the previous day) and each policy decides
 * at that moment. A customer is decided on at most once per policy (one contact per campaign,
 * so each outcome belongs to one action: see docs/uplift.md). Each logged decision's outcome,
 * retained within the horizon or not, follows from the customer's response type and the
 * group, and is recorded in the policy's store when it is due. The ground truth of every
 * customer considered goes to `onTruth`, apart from the stores.
 */
import { DAY_MS } from '../../src/events/day.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt, type CustomerState } from '../../src/features/online-state.js';
import { RETENTION_ACTIONS, retainedGiven, upliftOf, type RetentionAction } from '../../src/generate/response-types.js';
import type { DecisionTruth, RetentionWorld } from '../../src/generate/retention-world.js';
import { createBudgetRefusals } from '../policy/budget-refusals.js';
import { decide, type PolicySettings } from '../policy/decide.js';
import type { ServingModel } from '../serving-model.js';
import type { ChurnStore, Group, Outcome } from '../store/types.js';

/** One policy in the comparison. */
export interface CampaignPolicy {
  name: string;
  settings: PolicySettings;
  /** Where its decisions and outcomes go. */
  store: ChurnStore;
  /** Called with each customer's answer key before the policy decides on them (oracles). */
  consider?: (truth: DecisionTruth) => void;
}

export interface CampaignOptions {
  /** The world, simulated for `warmupDays + campaignDays + horizon` days (outcomes are due a horizon after the last decision). */
  world: RetentionWorld;
  /** Days of history before the first decision. */
  warmupDays: number;
  /** Days on which the policies decide. */
  campaignDays: number;
  /** The churn model the policies score with. */
  model: ServingModel;
  policies: readonly CampaignPolicy[];
  /** Also append every event to this store (e.g. to make a complete plugin store); none by default. */
  eventStore?: ChurnStore;
  /** Ground truth of each customer considered, once per customer and day. */
  onTruth?: (row: { customerId: string; day: number; ts: number; truth: DecisionTruth }) => void;
  /** Progress, after each simulated day. */
  onDay?: (daysDone: number, days: number) => void;
}

/** What one policy did, counted on the simulator's ground truth. */
export interface CampaignResult {
  name: string;
  /** Logged decisions (treatment and hold-out). */
  decisions: number;
  treated: number;
  heldOut: number;
  /** Decisions whose action was drawn by exploration. */
  explored: number;
  spent: number;
  /** Response types of the treated customers. */
  treatedTypes: Record<'persuadable' | 'sure_thing' | 'lost_cause' | 'sleeping_dog', number>;
  /** Extra customers retained against doing nothing: persuadables treated minus sleeping dogs treated. */
  extraRetained: number;
  /** Treated decisions by action. */
  byAction: Record<string, { treated: number; extraRetained: number; spent: number }>;
}

/** Events handed to a store per call: one transaction each. */
const EVENT_BATCH = 5000;

/**
 * Runs the campaign and returns, per policy, what it did and what it changed.
 *
 * @example
 * const world = new RetentionWorld({ customers: 5000, days: 150 + 28 + 30, seed: 1, horizonDays: 30 });
 * const [risk] = await runCampaign({ world, warmupDays: 150, campaignDays: 28, model, policies: [{ name: 'risk', settings, store }] });
 * risk.extraRetained; // extra customers kept, on the ground truth
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult[]> {
  const { world, warmupDays, campaignDays, model } = options;
  const lastDecisionDay = warmupDays + campaignDays;
  const days = lastDecisionDay + world.horizonDays;
  if (world.days < days) {
    throw new RangeError(`the world simulates ${world.days} days; the campaign needs ${days} (warm-up ${warmupDays} + campaign ${campaignDays} + horizon ${world.horizonDays})`);
  }
  const states: (CustomerState | undefined)[] = new Array(world.customerIds.length);
  const runs = options.policies.map((policy) => ({
    policy,
    refusals: createBudgetRefusals(),
    decided: new Set<number>(),
    result: emptyResult(policy.name),
  }));
  /** Outcomes by the day they are due, per policy. */
  const due = new Map<number, { run: (typeof runs)[number]; outcome: Outcome }[]>();
  const identity = <T>(work: Promise<T>) => work;

  for (let day = 0; day < days; day++) {
    const { events, eventCustomers, visitors } = world.simulateDay(day);
    if (day >= warmupDays && day < lastDecisionDay) {
      for (const visitor of visitors) {
        const state = states[visitor.customer];
        // Someone seen for the first time today has nothing stored to be scored on.
        if (state === undefined) continue;
        const features = Object.freeze(featuresAt(state, visitor.firstSessionMs));
        const churnProbability = model.predict(features);
        const truth = world.truth(visitor.customer, day);
        options.onTruth?.({ customerId: visitor.customerId, day, ts: visitor.firstSessionMs, truth });
        for (const run of runs) {
          if (run.decided.has(visitor.customer)) continue;
          run.policy.consider?.(truth);
          const { decision, logged } = await decide(
            run.policy.settings,
            run.policy.store,
            { customerId: visitor.customerId, churnProbability, features, modelVersion: model.version, now: visitor.firstSessionMs },
            identity,
            run.refusals,
          );
          if (!logged || decision.action === null) continue;
          run.decided.add(visitor.customer);
          const type = truth.actions[decision.action as RetentionAction]?.type;
          if (type === undefined) throw new RangeError(`the simulated store has no response to action "${decision.action}" (it knows ${RETENTION_ACTIONS.join(', ')})`);
          tally(run.result, decision.action, decision.group, decision.cost, decision.explored === true, type);
          const dueDay = day + world.horizonDays;
          const outcome: Outcome = {
            customerId: visitor.customerId,
            ts: decision.ts + world.horizonDays * DAY_MS,
            retained: retainedGiven(type, decision.group === 'treatment') === 1,
            action: decision.action,
            group: decision.group,
          };
          const list = due.get(dueDay) ?? [];
          list.push({ run, outcome });
          due.set(dueDay, list);
        }
      }
    }
    events.forEach((event, index) => {
      const customer = eventCustomers[index]!;
      states[customer] = applyEvent(states[customer] ?? createCustomerState(), event);
    });
    if (options.eventStore) await appendInBatches(options.eventStore, events);
    for (const { run, outcome } of due.get(day) ?? []) await run.policy.store.recordOutcome(outcome);
    due.delete(day);
    options.onDay?.(day + 1, days);
  }
  return runs.map((run) => run.result);
}

async function appendInBatches(store: ChurnStore, events: readonly ChurnEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += EVENT_BATCH) await store.appendEvents(events.slice(start, start + EVENT_BATCH));
}

function emptyResult(name: string): CampaignResult {
  return {
    name,
    decisions: 0,
    treated: 0,
    heldOut: 0,
    explored: 0,
    spent: 0,
    treatedTypes: { persuadable: 0, sure_thing: 0, lost_cause: 0, sleeping_dog: 0 },
    extraRetained: 0,
    byAction: {},
  };
}

function tally(result: CampaignResult, action: string, group: Group, cost: number, explored: boolean, type: DecisionTruth['actions'][RetentionAction]['type']): void {
  result.decisions++;
  if (explored) result.explored++;
  if (group === 'holdout') {
    result.heldOut++;
    return;
  }
  result.treated++;
  result.spent += cost;
  result.treatedTypes[type]++;
  result.extraRetained += upliftOf(type);
  const perAction = (result.byAction[action] ??= { treated: 0, extraRetained: 0, spent: 0 });
  perAction.treated++;
  perAction.extraRetained += upliftOf(type);
  perAction.spent += cost;
}
