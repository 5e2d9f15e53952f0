/**
 * Oracle "uplift models" for the simulated store: instead of predicting from features they
 * read the simulator's answer key for the customer being decided, so the same policy code
 * can be run with perfect knowledge and scored against the learned models.
 *
 * - `expected`: the action's average effect given the customer's hidden state today
 *   (P(leave within the horizon) × persuadable share − P(stay) × sleeping-dog share). It
 *   knows everything about the customer but not the future: the natural ceiling for any model.
 * - `foresight`: the realised response type (+1 persuadable, −1 sleeping dog, 0 otherwise):
 *   it also knows whether the customer will leave. No model can reach it; shown as a bound.
 */
import type { DecisionTruth } from '../../src/generate/retention-world.js';
import { upliftOf, type RetentionAction } from '../../src/generate/response-types.js';
import type { UpliftModel } from '../../src/uplift/uplift-model.js';

export type OracleKind = 'expected' | 'foresight';

/** Oracle models, and the one place the runner tells them whom the policy is deciding on. */
export interface Oracle {
  models: ReadonlyMap<string, UpliftModel>;
  /** Sets the customer the next predictions are about. */
  consider(truth: DecisionTruth): void;
}

/**
 * Oracle uplift models for the given actions.
 *
 * @example
 * const oracle = createOracle('expected', ['coupon', 'care_call']);
 * oracle.consider(world.truth(customer, day));
 * oracle.models.get('coupon')!.uplift({}); // the true expected uplift of a coupon for them
 */
export function createOracle(kind: OracleKind, actions: readonly RetentionAction[]): Oracle {
  let current: DecisionTruth | undefined;
  const models = new Map<string, UpliftModel>(
    actions.map((action) => [
      action,
      {
        action,
        method: 't-learner',
        // An oracle needs no data: always trusted.
        decisions: Number.MAX_SAFE_INTEGER,
        holdoutDecisions: Math.floor(Number.MAX_SAFE_INTEGER / 2),
        versions: [`oracle-${kind}`],
        // It reads the answer key, not the customer's features.
        inputs: [],
        uplift: () => {
          if (current === undefined) return Number.NaN;
          const truth = current.actions[action];
          return kind === 'expected' ? truth.expectedUplift : upliftOf(truth.type);
        },
      },
    ]),
  );
  return {
    models,
    consider: (truth) => {
      current = truth;
    },
  };
}
