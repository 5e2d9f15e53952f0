/**
 * Uplift models, one per action, as the policy takes them (`policy.uplift.models`): built only
 * by `loadUpliftModels` (Node, from files) or `upliftModels` (already loaded models), so a
 * value the options validation accepts has been checked and loaded.
 */
import type { UpliftModel } from '../../src/uplift/uplift-model.js';

const LOADED = Symbol('churnkit.upliftModels');

/** Uplift models, one per action, ready for `policy.uplift.models`. */
export interface UpliftModels {
  readonly [LOADED]: true;
  readonly byAction: ReadonlyMap<string, UpliftModel>;
}

/** Wraps uplift models already loaded and assembled (one per action). */
export function upliftModels(models: readonly UpliftModel[]): UpliftModels {
  return { [LOADED]: true, byAction: new Map(models.map((model) => [model.action, model])) };
}

/** Whether `value` came from `loadUpliftModels`. */
export function isUpliftModels(value: unknown): value is UpliftModels {
  return typeof value === 'object' && value !== null && (value as Partial<UpliftModels>)[LOADED] === true;
}
