/**
 * One logged decision as uplift learning sees it: the customer's features when the policy
 * decided, which action it named, whether the customer was acted on (treatment) or held out,
 * and whether they were retained within the horizon.
 */
import type { RawRecord } from '../model/feature-spec.js';

export interface UpliftObservation {
  customerId: string;
  /** When the decision was made (epoch ms). */
  ts: number;
  action: string;
  /** true: the action was issued; false: the customer is in the hold-out (it would have been). */
  treated: boolean;
  retained: boolean;
  features: RawRecord;
}

/** How many observations, and of them treated and retained, per arm. */
export interface ArmCounts {
  treated: number;
  control: number;
  treatedRetained: number;
  controlRetained: number;
}

/**
 * Counts of each arm.
 *
 * @example
 * armCounts(observations); // { treated: 812, control: 203, treatedRetained: 701, controlRetained: 160 }
 */
export function armCounts(observations: readonly UpliftObservation[]): ArmCounts {
  const counts: ArmCounts = { treated: 0, control: 0, treatedRetained: 0, controlRetained: 0 };
  for (const observation of observations) {
    if (observation.treated) {
      counts.treated++;
      if (observation.retained) counts.treatedRetained++;
    } else {
      counts.control++;
      if (observation.retained) counts.controlRetained++;
    }
  }
  return counts;
}

/**
 * Observations grouped by action, actions in name order, each group in log order.
 *
 * @example
 * for (const [action, rows] of byAction(observations)) console.log(action, rows.length);
 */
export function byAction(observations: readonly UpliftObservation[]): Map<string, UpliftObservation[]> {
  const groups = new Map<string, UpliftObservation[]>();
  for (const observation of observations) {
    const group = groups.get(observation.action);
    if (group) group.push(observation);
    else groups.set(observation.action, [observation]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
