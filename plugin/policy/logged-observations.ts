/**
 * The policy's decision log as uplift learning rows: each logged decision naming an action,
 * with the features it was made on and its outcome. Decisions without an outcome yet, or
 * logged without features (`policy.logFeatures` off), cannot be learned from and are counted.
 */
import type { UpliftObservation } from '../../src/uplift/observation.js';
import type { LoggedDecision } from '../store/types.js';

/** The learning rows, and what had to be left out. */
export interface LoggedObservations {
  observations: UpliftObservation[];
  /** Decisions without a recorded outcome (still within their horizon, or never reported). */
  withoutOutcome: number;
  /** Decisions logged without their features. */
  withoutFeatures: number;
}

/**
 * Reads a store's decision log into uplift learning rows, oldest decision first.
 *
 * @example
 * const { observations, withoutOutcome } = await loggedObservations(store.decisionLog());
 */
export async function loggedObservations(log: AsyncIterable<LoggedDecision>): Promise<LoggedObservations> {
  const result: LoggedObservations = { observations: [], withoutOutcome: 0, withoutFeatures: 0 };
  for await (const { decision, outcome } of log) {
    if (decision.action === null) continue;
    if (outcome === null) {
      result.withoutOutcome++;
      continue;
    }
    if (decision.features === undefined) {
      result.withoutFeatures++;
      continue;
    }
    result.observations.push({
      customerId: decision.customerId,
      ts: decision.ts,
      action: decision.action,
      treated: decision.group === 'treatment',
      retained: outcome.retained,
      features: decision.features,
    });
  }
  result.observations.sort((a, b) => a.ts - b.ts || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  return result;
}
