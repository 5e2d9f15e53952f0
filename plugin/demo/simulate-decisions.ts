/**
 * A past week of policy decisions and their outcomes for the demo store, so the lift
 * report and the budget panel have something to show on first start. Decisions go
 * through the plugin's real policy (`decide`), so cooldowns, eligibility, the hold-out
 * and the daily budget apply exactly as they will on live requests; only the outcomes are
 * simulated.
 */
import { featuresAt } from '../../src/features/online-state.js';
import { RandomSource } from '../../src/generate/random-source.js';
import { decide, type PolicySettings } from '../policy/decide.js';
import type { ServingModel } from '../serving-model.js';
import type { ChurnStore } from '../store/types.js';
import { DAY_MS } from '../../src/events/day.js';

const PAGE_SIZE = 1000;

export interface SimulationOptions {
  store: ChurnStore;
  model: ServingModel;
  policy: PolicySettings;
  /** The decisions are spread over the `days` days before `now` (today included). */
  now: number;
  days: number;
  seed: number;
}

export interface SimulationSummary {
  decisions: number;
  outcomes: number;
}

/**
 * Scores every stored customer, lets the policy decide on one of the last `days` days, and
 * records whether each customer with a logged decision was retained: with probability
 * 1 − P(churn), plus, in treatment, the action's assumed success rate of the churn risk.
 *
 * @example
 * await simulateDecisions({ store, model, policy, now: Date.now(), days: 7, seed: 42 });
 */
export async function simulateDecisions(options: SimulationOptions): Promise<SimulationSummary> {
  const { store, model, policy, now, days } = options;
  const random = new RandomSource(options.seed);
  const successRates = new Map(policy.actions.map((action) => [action.name, action.successRate]));
  const summary: SimulationSummary = { decisions: 0, outcomes: 0 };
  const identity = <T>(work: Promise<T>) => work;

  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await store.listCustomers(PAGE_SIZE, offset);
    for (const { customerId, state } of page) {
      const features = featuresAt(state, now);
      const churnProbability = model.predict(features);
      if (!(churnProbability >= 0 && churnProbability <= 1)) continue;
      const decidedAt = now - random.integer(days) * DAY_MS;
      const result = await decide(
        policy,
        store,
        { customerId, churnProbability, features, modelVersion: model.version, now: decidedAt },
        identity,
      );
      if (!result.logged) continue;
      summary.decisions++;
      const rescued = result.action === null ? 0 : churnProbability * (successRates.get(result.action.name) ?? 0);
      const retained = random.uniform() < 1 - churnProbability + rescued;
      await store.recordOutcome({ customerId, ts: now, retained });
      summary.outcomes++;
    }
    if (page.length < PAGE_SIZE) break;
  }
  return summary;
}
