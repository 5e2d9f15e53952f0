/**
 * Loaded model files put together into one uplift model per action: the predicted change in
 * the probability of keeping a customer if the action is taken, in [-1, 1].
 */
import { ModelFormatError } from '../errors.js';
import type { RawRecord } from '../model/feature-spec.js';
import type { ModelMetadata } from '../model/model-file.js';
import { BEHAVIOUR_FEATURES, withBehaviourFeatures } from './behaviour-features.js';
import { armsOf, pseudoOutcomeScale, upliftRoleOf, type UpliftArm, type UpliftMethod, type UpliftRole } from './uplift-role.js';

/** The part of a loaded model an uplift model needs. */
export interface ProbabilityModel {
  predict(record: RawRecord): number;
  /** The columns it reads. */
  readonly features: readonly { readonly name: string }[];
  readonly metadata: ModelMetadata;
  readonly version: string;
}

/** One action's uplift model. */
export interface UpliftModel {
  readonly action: string;
  readonly method: UpliftMethod;
  /** Logged decisions (both arms) it was trained on, and of them in the hold-out. */
  readonly decisions: number;
  readonly holdoutDecisions: number;
  /** Versions of the files it is made of. */
  readonly versions: readonly string[];
  /** The columns its files read from a feature record, less the behaviour columns it computes from them itself. */
  readonly inputs: readonly string[];
  /** P(retained | action) − P(retained | no action) for this customer, in [-1, 1]; NaN if a file's prediction was not a probability. */
  uplift(record: RawRecord): number;
}

/** A model file with where it came from, for error messages. */
export interface SourcedModel {
  model: ProbabilityModel;
  /** A path or a label such as "models[2]". */
  source: string;
}

/**
 * Groups loaded uplift model files into one `UpliftModel` per action. Refuses a plain churn
 * model, a missing or repeated arm, and two methods for one action unless `method` picks one.
 *
 * @example
 * const [coupon] = assembleUpliftModels([{ model: treated, source: 'a.json' }, { model: control, source: 'b.json' }]);
 * coupon.uplift(record); // e.g. 0.12: twelve points more likely to stay with a coupon
 */
export function assembleUpliftModels(models: readonly SourcedModel[], method?: UpliftMethod): UpliftModel[] {
  const byAction = new Map<string, Map<UpliftMethod, Map<UpliftArm, { model: ProbabilityModel; role: UpliftRole; source: string }>>>();
  for (const { model, source } of models) {
    const role = upliftRoleOf(model.metadata, source);
    if (role === null) throw new ModelFormatError('MODEL_NOT_UPLIFT', 'not an uplift model: metadata.options.uplift is missing (train one with churnkit uplift)', { file: source });
    const methods = byAction.get(role.action) ?? new Map();
    byAction.set(role.action, methods);
    const arms = methods.get(role.method) ?? new Map();
    methods.set(role.method, arms);
    const earlier = arms.get(role.arm);
    if (earlier) {
      throw new ModelFormatError('MODEL_UPLIFT_DUPLICATE', `a second ${role.method} "${role.arm}" model for action "${role.action}" (the first is ${earlier.source})`, { file: source });
    }
    arms.set(role.arm, { model, role, source });
  }
  const assembled: UpliftModel[] = [];
  for (const [action, methods] of byAction) {
    const chosen = method ?? (methods.size === 1 ? [...methods.keys()][0]! : undefined);
    if (chosen === undefined) {
      throw new ModelFormatError('MODEL_UPLIFT_AMBIGUOUS', `action "${action}" has models of ${[...methods.keys()].join(' and ')}; keep one method per action, or name the method to use`);
    }
    const arms = methods.get(chosen);
    if (arms === undefined) continue;
    for (const arm of armsOf(chosen)) {
      if (!arms.has(arm)) {
        const given = [...arms.values()].map((entry) => entry.source).join(', ');
        throw new ModelFormatError('MODEL_UPLIFT_ARM_MISSING', `the ${chosen} model of action "${action}" has no "${arm}" file (given: ${given})`);
      }
    }
    const parts = [...arms.values()];
    requireOneTrainingRun(action, chosen, parts);
    assembled.push(upliftModelOf(chosen, parts));
  }
  return assembled.sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}

/**
 * Refuses a method's files that were not trained together (a T-learner's "treatment" file from
 * one run of `churnkit uplift` beside the "control" file of another, as a run stopped between
 * writing the two leaves them): their difference would not be an uplift, and the model's
 * trust would rest on one file's counts.
 */
function requireOneTrainingRun(action: string, method: UpliftMethod, parts: readonly { role: UpliftRole; source: string }[]): void {
  const learned = (role: UpliftRole) => `${role.decisions} decisions (${role.holdoutDecisions} held out, treatment probability ${role.treatmentProbability})`;
  const [first, ...others] = parts;
  for (const other of others) {
    if (learned(other.role) !== learned(first!.role)) {
      throw new ModelFormatError(
        'MODEL_UPLIFT_MISMATCH',
        `the ${method} files of action "${action}" come from different training runs: ${first!.source} learned from ${learned(first!.role)}, this one from ${learned(other.role)}; pass the files one run of churnkit uplift wrote`,
        { file: other.source },
      );
    }
  }
}

function upliftModelOf(method: UpliftMethod, parts: readonly { model: ProbabilityModel; role: UpliftRole; source: string }[]): UpliftModel {
  const role = parts[0]!.role;
  const arm = (name: UpliftArm) => parts.find((part) => part.role.arm === name)!.model;
  const versions = parts.map((part) => part.model.version);
  const computed: ReadonlySet<string> = new Set(BEHAVIOUR_FEATURES);
  const inputs = [...new Set(parts.flatMap((part) => part.model.features.map((feature) => feature.name)))].filter((name) => !computed.has(name));
  const common = { action: role.action, method, decisions: role.decisions, holdoutDecisions: role.holdoutDecisions, versions, inputs };
  // The model learned on the logged features plus the behaviour columns: it scores on them too.
  if (method === 't-learner') {
    const treated = arm('treatment');
    const control = arm('control');
    return {
      ...common,
      uplift: (record) => {
        const scored = withBehaviourFeatures(record);
        return clampUplift(treated.predict(scored) - control.predict(scored));
      },
    };
  }
  if (method === 'class-transformation') {
    const transformed = arm('transformed');
    // With inverse-probability weights, P(Z = 1 | x) = (1 + uplift(x)) / 2.
    return { ...common, uplift: (record) => clampUplift(2 * transformed.predict(withBehaviourFeatures(record)) - 1) };
  }
  const pseudoOutcome = arm('pseudo-outcome');
  const scale = pseudoOutcomeScale(role.treatmentProbability);
  return { ...common, uplift: (record) => clampUplift(scale * (2 * pseudoOutcome.predict(withBehaviourFeatures(record)) - 1)) };
}

function clampUplift(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(-1, value)) : Number.NaN;
}
