/**
 * ε-greedy exploration: on a share ε of customer-days the policy takes an action drawn at
 * random among those the customer may receive (eligible, out of cooldown, under the cap),
 * instead of the best one. A new action thus gathers logged decisions (and the hold-out its
 * comparison) before any model trusts it, and the uplift models see customers the greedy
 * policy would never pick.
 *
 * The draw is a hash of (salt, customer, UTC day), not a random number generator: the same
 * customer gets the same draw all day on every instance, and a logged decision can be
 * replayed from its inputs. A second hash picks which action.
 */
import { hashPosition } from '../../src/train/hash-position.js';

/** Exploration as the policy runs it. */
export interface ExplorationSettings {
  /** Share of customer-days explored, in [0, 1]. 0 turns exploration off. */
  rate: number;
  /** Salt of the draw: independent of the hold-out's. */
  salt: string;
}

/**
 * The action to explore for this customer today, as an index into `choices` (the allowed
 * actions), or -1 when this customer-day is not explored.
 *
 * @example
 * explorationPick({ rate: 0.05, salt: 'explore' }, 'c-42', '2026-11-23', 3); // -1 most days, else 0, 1 or 2
 */
export function explorationPick(settings: ExplorationSettings, customerId: string, day: string, choices: number): number {
  if (choices === 0 || !isExplored(settings, customerId, day)) return -1;
  return Math.floor(hashPosition(`${settings.salt}\u0000action\u0000${customerId}\u0000${day}`) * choices);
}

/** Whether this customer-day is explored at all (before knowing which actions are allowed). */
export function isExplored(settings: ExplorationSettings, customerId: string, day: string): boolean {
  return settings.rate > 0 && hashPosition(`${settings.salt}\u0000${customerId}\u0000${day}`) < settings.rate;
}
