/**
 * The policies a simulated campaign compares, built through the plugin's own options
 * validation (the options every adapter shares), so each runs exactly as
 * `churn({ policy, ... })` would, without the Express adapter's peers (prom-client):
 *
 * - `risk`: today's policy, expected value P(churn) × value × successRate − cost;
 * - `uplift`: incremental value from learned uplift models (falling back to expected value
 *   for actions whose model is missing or not yet trusted);
 * - `oracle-expected` / `oracle-foresight`: incremental value from the simulator's answer key
 *   (oracle-uplift.ts).
 */
import { z } from 'zod';
import { RETENTION_ACTIONS } from '../../src/generate/response-types.js';
import { parseOptions, resolveServingOptions, servingOptionFields, type ServingOptions } from '../options.js';
import type { PolicySettings } from '../policy/decide.js';
import type { UpliftModels } from '../policy/uplift-models.js';
import { createOracle, type Oracle, type OracleKind } from './oracle-uplift.js';
import { SIMULATED_ACTIONS, SIMULATED_POLICY_DEFAULTS, yearlyRevenue } from './simulated-store-policy.js';

/** What every compared policy shares. */
export interface CampaignPolicyOptions {
  dailyBudget?: number;
  holdoutFraction?: number;
  /** ε of ε-greedy exploration (default 0). */
  exploration?: number;
  /** Log each decision's features (default true: the log is for learning). */
  logFeatures?: boolean;
}

/**
 * The settings of today's risk-based policy on the simulated store.
 *
 * @example
 * const settings = riskPolicy({ dailyBudget: 400, exploration: 0.02 });
 */
export function riskPolicy(options: CampaignPolicyOptions = {}): PolicySettings {
  return resolvePolicy(options, {});
}

/**
 * The incremental-value policy with learned uplift models.
 *
 * @example
 * const settings = upliftPolicy(await loadUpliftModels(['models/uplift/dr-learner']), { minDecisions: 2000 });
 */
export function upliftPolicy(models: UpliftModels, options: CampaignPolicyOptions & { minDecisions?: number } = {}): PolicySettings {
  return resolvePolicy(options, { uplift: { models, ...(options.minDecisions !== undefined ? { minDecisions: options.minDecisions } : {}) } });
}

/**
 * The incremental-value policy valuing actions by the simulator's answer key, and the
 * oracle to tell whom it is deciding on (`CampaignPolicy.consider`).
 *
 * @example
 * const { settings, oracle } = oraclePolicy('expected', { dailyBudget: 400 });
 */
export function oraclePolicy(kind: OracleKind, options: CampaignPolicyOptions = {}): { settings: PolicySettings; oracle: Oracle } {
  const oracle = createOracle(kind, RETENTION_ACTIONS);
  // An oracle has nothing to learn: it never explores.
  const settings = resolvePolicy({ ...options, exploration: 0 }, {});
  return { settings: { ...settings, uplift: { models: oracle.models, minDecisions: 0 } }, oracle };
}

function resolvePolicy(options: CampaignPolicyOptions, learning: { uplift?: { models: UpliftModels; minDecisions?: number } }): PolicySettings {
  // Only the policy part is used: the model and identify hooks are never called here.
  const serving: ServingOptions<unknown> = {
    model: 'simulated',
    identify: () => null,
    policy: { actions: SIMULATED_ACTIONS, exploration: options.exploration ?? 0, logFeatures: options.logFeatures ?? true, ...learning },
    customerValue: yearlyRevenue,
    holdoutFraction: options.holdoutFraction ?? SIMULATED_POLICY_DEFAULTS.holdoutFraction,
    dailyBudget: options.dailyBudget ?? SIMULATED_POLICY_DEFAULTS.dailyBudget,
  };
  return resolveServingOptions(parseOptions(SERVING_SCHEMA, serving, 'simulated policy'), serving, 'simulated policy').policy;
}

const SERVING_SCHEMA = z.strictObject(servingOptionFields);
