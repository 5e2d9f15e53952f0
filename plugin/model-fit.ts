/**
 * Whether a model fits the store it will be served from. The store gives each customer the
 * online features of `src/features/online-state.ts`; a model also gets what each request
 * supplies (the `features(req)` hook, a score body's `record`). A model trained on another
 * table (columns `Tenure`, `Complain`, ...) would be scored with every input missing: every
 * customer near the same probability, "low", with no error anywhere. Such a model is refused
 * where it enters, at start-up (`ready()` rejects) and at `PUT /model` (400), naming the
 * inputs nothing supplies.
 *
 * The tolerance: at most `maxMissingShare` of the model's inputs (default a quarter) may be
 * neither a store feature nor a declared request feature (`modelFit.requestFeatures`);
 * `modelFit: false` turns the check off for a model fed wholly from requests.
 */
import { excerpt, OptionsError } from '../src/errors.js';
import { FEATURE_NAMES } from '../src/features/online-state.js';
import type { UpliftModel } from '../src/uplift/uplift-model.js';
import type { ServingModel } from './serving-model.js';

/** The resolved `modelFit` option. */
export interface ModelFitPolicy {
  /** Inputs the storefront supplies per request (the `features(req)` hook, score records). */
  requestFeatures: ReadonlySet<string>;
  /** Largest share of a model's inputs that may have no source, in [0, 1]. */
  maxMissingShare: number;
}

export const DEFAULT_MAX_MISSING_SHARE = 0.25;

const STORE_FEATURES: ReadonlySet<string> = new Set(FEATURE_NAMES);
/** Names listed in a refusal; the count says how many more. */
const LISTED = 20;

/** Whether the store gives every customer the input `name`. */
export function isStoreFeature(name: string): boolean {
  return STORE_FEATURES.has(name);
}

/** The inputs of a model that nothing supplies, beyond the share allowed. */
export interface UnfedInputs {
  count: number;
  /** The model's inputs in all. */
  of: number;
  share: number;
  /** Their names as a refusal lists them: the first 20, then how many more. */
  names: string;
}

/**
 * The inputs of `model` that neither the store nor the policy's request features supply, when
 * they are more than the policy's share; null when the model fits.
 *
 * @example
 * const unfed = unfedInputs(model, { requestFeatures: new Set(), maxMissingShare: DEFAULT_MAX_MISSING_SHARE });
 */
export function unfedInputs(model: { readonly features: readonly { readonly name: string }[] }, policy: ModelFitPolicy): UnfedInputs | null {
  if (model.features.length === 0) return null;
  const missing = model.features.map((feature) => feature.name).filter((name) => !STORE_FEATURES.has(name) && !policy.requestFeatures.has(name));
  const share = missing.length / model.features.length;
  if (share <= policy.maxMissingShare) return null;
  const listed = missing.slice(0, LISTED).map((name) => excerpt(name)).join(', ');
  const more = missing.length > LISTED ? ` and ${missing.length - LISTED} more` : '';
  return { count: missing.length, of: model.features.length, share, names: `${listed}${more}` };
}

/**
 * Throws an `OptionsError` (`MODEL_DOES_NOT_FIT`) listing the inputs of `model` that neither
 * the store nor the declared request features supply, when they are more than the policy's
 * share. A null policy (`modelFit: false`) accepts every model.
 *
 * @example
 * checkModelFit(model, { requestFeatures: new Set(['cart_items']), maxMissingShare: 0.25 });
 */
export function checkModelFit(model: ServingModel, policy: ModelFitPolicy | null): void {
  if (policy === null) return;
  const unfed = unfedInputs(model, policy);
  if (unfed === null) return;
  throw new OptionsError(
    'MODEL_DOES_NOT_FIT',
    `model ${excerpt(model.version)} does not fit this store: ${unfed.count} of its ${unfed.of} inputs (${percent(unfed.share)}) ` +
      `are neither features the store produces nor declared request features, and at most ${percent(policy.maxMissingShare)} may be: ${unfed.names}. ` +
      `Train on the store's features (churnkit features), declare the fields your features(req) hook or score records supply ` +
      `(modelFit.requestFeatures), raise modelFit.maxMissingShare, or turn the check off with modelFit: false`,
  );
}

/**
 * Throws an `OptionsError` (`MODEL_DOES_NOT_FIT`) when an uplift model of `policy.uplift.models`
 * reads inputs that neither the store nor the declared request features supply, beyond the
 * policy's share, as `checkModelFit` does for the churn model: such a model predicts nearly
 * one uplift for every customer, and where that pays the action goes to all of them.
 *
 * @example
 * for (const model of upliftModels.values()) checkUpliftModelFit(model, resolved.modelFit);
 */
export function checkUpliftModelFit(model: UpliftModel, policy: ModelFitPolicy | null): void {
  if (policy === null) return;
  const unfed = unfedInputs({ features: model.inputs.map((name) => ({ name })) }, policy);
  if (unfed === null) return;
  throw new OptionsError(
    'MODEL_DOES_NOT_FIT',
    `churn() option "policy.uplift.models": the ${model.method} model of action "${model.action}" (${model.versions.map((version) => excerpt(version)).join(', ')}) does not fit this store: ` +
      `${unfed.count} of its ${unfed.of} inputs (${percent(unfed.share)}) are neither features the store produces nor declared request features, and at most ${percent(policy.maxMissingShare)} may be: ${unfed.names}. ` +
      `Train it with churnkit uplift on this store's decision log, declare the fields your features(req) hook supplies (modelFit.requestFeatures), ` +
      `raise modelFit.maxMissingShare, or turn the check off with modelFit: false`,
  );
}

/** A share as the check's messages write it: `62.5 %`. */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
