/**
 * How well the policy's own ranking finds the customers an action changes: per action, the
 * Qini curve (with bootstrap bands) of the logged decisions with outcomes, ranked by the
 * uplift the policy assumes for each (`assumedUplift`: its trusted uplift model's prediction
 * on the logged features, else P(churn) × successRate). Treated and held-out decisions of
 * the same action were split at random, so the curve is an honest measure; docs/uplift.md
 * ("Reading the Qini curve") says how to read it. For dashboards and offline jobs: it reads
 * the whole decision log, never on a customer's request.
 */
import { evaluateUplift, type UpliftEvaluation } from '../../src/uplift/bootstrap-bands.js';
import { shareGrid, type ScoredOutcome } from '../../src/uplift/qini.js';
import { assumedUplift, type ValueBasis } from './action-value.js';
import type { PolicySettings } from './decide.js';
import type { ChurnStore } from '../store/types.js';

/** One action's Qini evaluation, or why there is none yet. */
export interface ActionQini {
  action: string;
  /** What ranked the decisions: the uplift model, the expected-value guess, or both (a model trusted for part of them). */
  basis: ValueBasis | 'mixed';
  treated: number;
  heldOut: number;
  /** null until each arm has `minPerArm` decisions with outcomes. */
  evaluation: UpliftEvaluation | null;
}

export interface PolicyQiniOptions {
  /** Decisions with outcomes each arm needs before a curve is drawn (default 20). */
  minPerArm?: number;
  /** Bootstrap resamples (default 200). */
  resamples?: number;
  /** Points on the curve (default 21: every 5 %). */
  points?: number;
  seed?: number;
}

/**
 * The Qini evaluation of every action the policy knows, from the store's decision log; null
 * when the store cannot read its log back.
 *
 * @example
 * const qini = await policyQini(store, resolveOptions(options).policy);
 * qini?.[0]?.evaluation?.coefficient; // the coupon ranking's Qini coefficient
 */
export async function policyQini(store: ChurnStore, policy: PolicySettings, options: PolicyQiniOptions = {}): Promise<ActionQini[] | null> {
  if (store.decisionLog === undefined) return null;
  const minPerArm = options.minPerArm ?? 20;
  const grid = shareGrid((options.points ?? 21) - 1);
  const specs = new Map(policy.actions.map((action) => [action.name, action]));
  const rows = new Map<string, { outcomes: ScoredOutcome[]; bases: Set<ValueBasis> }>(policy.actions.map((action) => [action.name, { outcomes: [], bases: new Set() }]));
  for await (const { decision, outcome } of store.decisionLog()) {
    const spec = decision.action === null ? undefined : specs.get(decision.action);
    if (spec === undefined || outcome === null) continue;
    const assumed = assumedUplift(policy.uplift, spec, { churnProbability: decision.probability, features: decision.features });
    const entry = rows.get(spec.name)!;
    entry.outcomes.push({ score: assumed.uplift, treated: decision.group === 'treatment', retained: outcome.retained });
    entry.bases.add(assumed.basis);
  }
  return [...rows].map(([action, { outcomes, bases }]) => {
    const treated = outcomes.filter((row) => row.treated).length;
    const heldOut = outcomes.length - treated;
    const enough = treated >= minPerArm && heldOut >= minPerArm;
    return {
      action,
      basis: bases.size > 1 ? 'mixed' : bases.has('uplift') ? 'uplift' : 'expected-value',
      treated,
      heldOut,
      evaluation: enough ? evaluateUplift(outcomes, { resamples: options.resamples ?? 200, seed: options.seed ?? 1, grid }) : null,
    };
  });
}
