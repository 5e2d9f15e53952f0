/**
 * What an action is worth for one customer, in money: by its uplift model once that model
 * has learned from enough logged decisions, otherwise by today's risk-based expected value.
 *
 * - incremental value = predicted uplift × customer value − cost, where uplift is the change
 *   in the probability of keeping the customer that the action brings (it can be negative:
 *   sleeping dogs);
 * - expected value = P(churn) × customer value × successRate − cost (expected-value.ts):
 *   the operator's guess of the uplift, successRate × P(churn), in the same formula.
 *
 * An action's model is trusted once it was trained on at least `minDecisions` logged
 * decisions with outcomes, at least `MIN_ARM_DECISIONS` of them in each arm; until then
 * (and for a customer whose uplift cannot be computed) the action keeps its expected value.
 */
import type { RawRecord } from '../../src/model/feature-spec.js';
import type { UpliftModel } from '../../src/uplift/uplift-model.js';
import { expectedValue, type ActionSpec } from './expected-value.js';

/** A trusted model needs at least this many decisions in each arm, whatever `minDecisions` says. */
export const MIN_ARM_DECISIONS = 100;

/** The uplift part of the resolved policy. */
export interface UpliftSettings {
  /** Uplift model by action name (actions without one keep their expected value). */
  models: ReadonlyMap<string, UpliftModel>;
  /** Logged decisions with outcomes a model must have been trained on to be trusted. */
  minDecisions: number;
}

/** How an action was valued. */
export type ValueBasis = 'uplift' | 'expected-value';

/**
 * Whether `model` has learned from enough decisions to be trusted.
 *
 * @example
 * isTrusted(couponModel, 2000); // false while it was trained on fewer than 2000 decisions
 */
export function isTrusted(model: UpliftModel, minDecisions: number): boolean {
  const treated = model.decisions - model.holdoutDecisions;
  return model.decisions >= minDecisions && model.holdoutDecisions >= MIN_ARM_DECISIONS && treated >= MIN_ARM_DECISIONS;
}

/** Incremental value of an action: predicted uplift × customer value − cost (0 when not finite). */
export function incrementalValue(uplift: number, customerValue: number, cost: number): number {
  const value = uplift * customerValue - cost;
  return Number.isFinite(value) ? value : -cost;
}

/**
 * A function giving each action's value for one customer, and the basis it was valued on.
 *
 * @example
 * const valueOf = actionValuer(settings.uplift, { churnProbability: 0.4, customerValue: 120, features });
 * valueOf(couponSpec); // { value: 6.2, basis: 'uplift' }
 */
export function actionValuer(
  uplift: UpliftSettings | undefined,
  customer: { churnProbability: number; customerValue: number; features: Readonly<RawRecord> },
): (action: ActionSpec) => { value: number; basis: ValueBasis } {
  // Ranking runs twice when past decisions are read: the models predict once per action.
  const known = new Map<string, { value: number; basis: ValueBasis }>();
  return (action) => {
    let valued = known.get(action.name);
    if (valued === undefined) {
      valued = valueAction(uplift, customer, action);
      known.set(action.name, valued);
    }
    return valued;
  };
}

function valueAction(
  uplift: UpliftSettings | undefined,
  customer: { churnProbability: number; customerValue: number; features: Readonly<RawRecord> },
  action: ActionSpec,
): { value: number; basis: ValueBasis } {
  const model = uplift?.models.get(action.name);
  if (model !== undefined && isTrusted(model, uplift!.minDecisions)) {
    const predicted = model.uplift(customer.features);
    if (Number.isFinite(predicted)) return { value: incrementalValue(predicted, customer.customerValue, action.cost), basis: 'uplift' };
  }
  return { value: expectedValue(customer.churnProbability, customer.customerValue, action.successRate, action.cost), basis: 'expected-value' };
}
