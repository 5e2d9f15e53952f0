/**
 * An uplift model is stored as ordinary churnkit model files (format v1, docs/model-format.md):
 * one network each, with a sigmoid output. What the file is for travels in the free-form
 * `metadata.options` record, under `uplift`:
 *
 * - a two-model learner (T-learner) is two files, `arm: "treatment"` and `arm: "control"`,
 *   each predicting P(retained) in its arm;
 * - a class-transformation learner is one file, `arm: "transformed"`, predicting the
 *   inverse-probability-weighted P(Z = 1) with Z = treated·retained + (1 − treated)(1 − retained);
 * - a DR-learner is one file, `arm: "pseudo-outcome"`, predicting (1 + uplift / c) / 2 with
 *   c = `pseudoOutcomeScale(treatmentProbability)` (train-uplift.ts).
 *
 * Runtime-neutral and free of zod: it runs where the model files are loaded.
 */
import { ModelFormatError } from '../errors.js';
import type { ModelMetadata } from '../model/model-file.js';

export const UPLIFT_METHODS = ['t-learner', 'class-transformation', 'dr-learner'] as const;
export type UpliftMethod = (typeof UPLIFT_METHODS)[number];
export type UpliftArm = 'treatment' | 'control' | 'transformed' | 'pseudo-outcome';

/** What one model file contributes to an uplift model, and what it was trained on. */
export interface UpliftRole {
  method: UpliftMethod;
  /** The policy action the model is about (the name in `policy.actions`). */
  action: string;
  arm: UpliftArm;
  /** Logged decisions with outcomes the uplift model was trained on (both arms)... */
  decisions: number;
  /** ...of which in the hold-out. */
  holdoutDecisions: number;
  /** Probability that a logged decision was acted on (1 − the hold-out fraction). */
  treatmentProbability: number;
}

const ARMS: Record<UpliftMethod, readonly UpliftArm[]> = {
  't-learner': ['treatment', 'control'],
  'class-transformation': ['transformed'],
  'dr-learner': ['pseudo-outcome'],
};

/**
 * The bound c of the DR-learner's pseudo-outcome, |φ| < c, for a treatment probability p:
 * its network predicts (1 + uplift / c) / 2, so uplift = c · (2·prediction − 1).
 *
 * @example
 * pseudoOutcomeScale(0.8); // 5
 */
export function pseudoOutcomeScale(treatmentProbability: number): number {
  return 1 / Math.min(treatmentProbability, 1 - treatmentProbability);
}

/** The arms a method needs, one model file each. */
export function armsOf(method: UpliftMethod): readonly UpliftArm[] {
  return ARMS[method];
}

/**
 * The uplift role recorded in a model file's metadata, or null for a plain churn model.
 * A role that is present but malformed is a `ModelFormatError` naming the field.
 *
 * @example
 * upliftRoleOf(model.metadata); // { method: 't-learner', action: 'coupon', arm: 'treatment', ... } or null
 */
export function upliftRoleOf(metadata: ModelMetadata, file?: string): UpliftRole | null {
  const role = metadata.options.uplift;
  if (role === undefined) return null;
  const bad = (field: string, expected: string): never => {
    throw new ModelFormatError('MODEL_UPLIFT_ROLE', `metadata.options.uplift.${field}: expected ${expected}`, file === undefined ? {} : { file });
  };
  if (typeof role !== 'object' || role === null || Array.isArray(role)) return bad('(itself)', 'an object');
  const record = role as Record<string, unknown>;
  const method = record.method;
  if (typeof method !== 'string' || !(UPLIFT_METHODS as readonly string[]).includes(method)) bad('method', `one of ${UPLIFT_METHODS.join(', ')}`);
  const arm = record.arm;
  if (typeof arm !== 'string' || !ARMS[method as UpliftMethod].includes(arm as UpliftArm)) {
    bad('arm', `${ARMS[method as UpliftMethod].join(' or ')} for method ${String(method)}`);
  }
  if (typeof record.action !== 'string' || record.action.length === 0) bad('action', 'an action name');
  const count = (field: 'decisions' | 'holdoutDecisions'): number => {
    const value = record[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) bad(field, 'a whole number >= 0');
    return value as number;
  };
  const decisions = count('decisions');
  const holdoutDecisions = count('holdoutDecisions');
  if (holdoutDecisions > decisions) bad('holdoutDecisions', `at most decisions (${decisions})`);
  const probability = record.treatmentProbability;
  if (typeof probability !== 'number' || !(probability > 0 && probability < 1)) bad('treatmentProbability', 'a probability strictly between 0 and 1');
  return {
    method: method as UpliftMethod,
    action: record.action as string,
    arm: arm as UpliftArm,
    decisions,
    holdoutDecisions,
    treatmentProbability: probability as number,
  };
}
