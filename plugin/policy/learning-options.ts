/**
 * The options that make the policy learn: logging each decision's features, ε-greedy
 * exploration, and valuing actions by uplift models (docs/uplift.md). Kept apart from the
 * rest of the plugin's options: `options.ts` spreads `learningPolicySchema` into its
 * `policy` schema and calls `resolveLearningPolicy` once at construction.
 */
import { z } from 'zod';
import { OptionsError } from '../../src/errors.js';
import type { UpliftSettings } from './action-value.js';
import type { ExplorationSettings } from './exploration.js';
import { isUpliftModels, type UpliftModels } from './uplift-models.js';

/** Logged decisions with outcomes an action's uplift model must have learned from before the policy trusts it. */
export const DEFAULT_MIN_DECISIONS = 500;

/** The learning options of `churn({ policy })`. */
export interface LearningPolicyOptions {
  /** Log the features each decision was made on (needed to train uplift models). Default: true when `uplift` is set. */
  logFeatures?: boolean;
  /** Share of customer-days given a random allowed action instead of the best, in [0, 0.5]. Default 0. */
  exploration?: number;
  /** Salt of the exploration draw. Default "churnkit-exploration". */
  explorationSalt?: string;
  uplift?: {
    /** From `loadUpliftModels(...)`. */
    models: UpliftModels;
    /** Decisions a model must have learned from before it is trusted; until then the action keeps its expected value. Default 500. */
    minDecisions?: number;
  };
}

/** Keys spread into the `policy` object of the plugin's options schema. */
export const learningPolicySchema = {
  logFeatures: z.boolean().optional(),
  exploration: z.number().min(0).max(0.5).default(0),
  explorationSalt: z.string().min(1).default('churnkit-exploration'),
  uplift: z
    .strictObject({
      models: z.custom<UpliftModels>(isUpliftModels, 'expected the result of loadUpliftModels(...)'),
      minDecisions: z.number().int().min(1).default(DEFAULT_MIN_DECISIONS),
    })
    .optional(),
};

type ParsedLearning = {
  logFeatures?: boolean | undefined;
  exploration: number;
  explorationSalt: string;
  uplift?: { models: UpliftModels; minDecisions: number } | undefined;
};

/**
 * The learning part of the resolved policy. Throws `OptionsError` when an uplift model names
 * an action the policy does not have, or when there is no hold-out to keep learning from.
 *
 * @example
 * resolveLearningPolicy(parsed.policy, ['coupon', 'care_call'], 0.1);
 * // { logFeatures: true, exploration: { rate: 0.02, salt: '...' }, uplift: { models, minDecisions: 500 } }
 */
export function resolveLearningPolicy(
  parsed: ParsedLearning,
  actionNames: readonly string[],
  holdoutFraction: number,
): { logFeatures: boolean; exploration: ExplorationSettings; uplift: UpliftSettings | undefined } {
  const uplift = parsed.uplift;
  if (uplift !== undefined) {
    if (holdoutFraction <= 0) {
      throw new OptionsError('PLUGIN_OPTIONS', 'churn() option "policy.uplift": needs a hold-out to keep learning from; expected holdoutFraction > 0');
    }
    for (const action of uplift.models.byAction.keys()) {
      if (!actionNames.includes(action)) {
        throw new OptionsError(
          'PLUGIN_OPTIONS',
          `churn() option "policy.uplift.models": a model for action "${action}", which is not in policy.actions (${actionNames.join(', ') || 'none'})`,
        );
      }
    }
  }
  return {
    logFeatures: parsed.logFeatures ?? uplift !== undefined,
    exploration: { rate: parsed.exploration, salt: parsed.explorationSalt },
    uplift: uplift === undefined ? undefined : { models: uplift.models.byAction, minDecisions: uplift.minDecisions },
  };
}
