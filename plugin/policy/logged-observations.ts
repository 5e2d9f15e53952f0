/**
 * The policy's decision log as uplift learning rows: each logged decision naming an action,
 * with the features it was made on and its outcome. Decisions without an outcome yet, or
 * logged without features (`policy.logFeatures` off), cannot be learned from and are counted.
 */
import { ChurnkitError } from '../../src/errors.js';
import type { UpliftObservation } from '../../src/uplift/observation.js';
import type { ChurnStore } from '../store/types.js';

/** The learning rows, and what had to be left out. */
export interface LoggedObservations {
  observations: UpliftObservation[];
  /** Decisions without a recorded outcome (still within their horizon, or never reported). */
  withoutOutcome: number;
  /** Decisions logged without their features. */
  withoutFeatures: number;
}

/**
 * Reads a store's decision log into uplift learning rows, oldest decision first. Throws a
 * `ChurnkitError` (`STORE_NO_DECISION_LOG`) for a store that cannot read its log back.
 *
 * @example
 * const { observations, withoutOutcome } = await loggedObservations(openSqliteStore({ dataDir }));
 */
export async function loggedObservations(store: ChurnStore): Promise<LoggedObservations> {
  if (store.decisionLog === undefined) {
    throw new ChurnkitError('STORE_NO_DECISION_LOG', 'this store cannot read back its decision log (the SQLite and Redis stores can)');
  }
  const result: LoggedObservations = { observations: [], withoutOutcome: 0, withoutFeatures: 0 };
  for await (const { decision, outcome } of store.decisionLog()) {
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
