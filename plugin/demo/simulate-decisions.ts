/**
 * Past policy decisions and their outcomes for the demo store, so the lift report and the
 * budget panel have something to show on first start. Decisions go through the plugin's
 * real policy (`decide`) on the customers' own visits, in time order, so cooldowns,
 * eligibility, the hold-out and each day's budget apply exactly as they do on live
 * requests; only the outcomes are simulated.
 */
import { RandomSource } from '../../src/generate/random-source.js';
import { decide, type PolicySettings } from '../policy/decide.js';
import type { ServingModel } from '../serving-model.js';
import type { ChurnStore } from '../store/types.js';

/** A customer's visit the policy decided on, with their features at that moment. */
export interface Visit {
  customerId: string;
  ts: number;
  features: Readonly<Record<string, number>>;
}

export interface SimulationOptions {
  store: ChurnStore;
  model: ServingModel;
  policy: PolicySettings;
  /** In time order. */
  visits: readonly Visit[];
  /** When the outcomes are recorded. */
  outcomesAt: number;
  seed: number;
}

export interface SimulationSummary {
  decisions: number;
  outcomes: number;
}

/**
 * Scores each visit and lets the policy decide on it, then records whether each customer
 * with a logged decision was retained: with probability 1 − P(churn), plus, in treatment,
 * the latest action's assumed success rate of the churn risk.
 *
 * @example
 * await simulateDecisions({ store, model, policy, visits, outcomesAt: Date.now(), seed: 42 });
 */
export async function simulateDecisions(options: SimulationOptions): Promise<SimulationSummary> {
  const { store, model, policy } = options;
  const random = new RandomSource(options.seed);
  const successRates = new Map(policy.actions.map((action) => [action.name, action.successRate]));
  const identity = <T>(work: Promise<T>) => work;
  const latest = new Map<string, { churnProbability: number; successRate: number }>();
  let decisions = 0;

  for (const visit of options.visits) {
    const churnProbability = model.predict(visit.features);
    if (!(churnProbability >= 0 && churnProbability <= 1)) continue;
    const result = await decide(
      policy,
      store,
      { customerId: visit.customerId, churnProbability, features: visit.features, modelVersion: model.version, now: visit.ts },
      identity,
    );
    if (!result.logged) continue;
    decisions++;
    const successRate = result.action === null ? 0 : (successRates.get(result.action.name) ?? 0);
    latest.set(visit.customerId, { churnProbability, successRate });
  }
  for (const [customerId, { churnProbability, successRate }] of latest) {
    const retained = random.uniform() < 1 - churnProbability + churnProbability * successRate;
    await store.recordOutcome({ customerId, ts: options.outcomesAt, retained });
  }
  return { decisions, outcomes: latest.size };
}
