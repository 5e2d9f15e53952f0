/**
 * Explanations attached to a loaded model, the way `trainable` attaches training to a network:
 * scoring (`loadModel`, a page, a Worker) carries none of this code, and the code that explains
 * (the plugins' reasons, the CLI, reports, `train`'s model) imports it.
 */
import { OptionsError } from '../errors.js';
import { LoadedChurnModel, type ChurnModel } from '../model/churn-model.js';
import type { RawRecord } from '../model/feature-spec.js';
import { columnContributions, columnLayout, type Contribution } from './column-contributions.js';
import { gradientScratch, integratedGradients } from './integrated-gradients.js';
import { linearContributions } from './linear-contributions.js';

export type { Contribution } from './column-contributions.js';

/**
 * How an MLP's prediction is attributed to its inputs (logistic regression is always exact):
 * - `integrated-gradients` (default): the path integral by the trapezoid rule, `steps + 1`
 *   gradients (32 steps by default). The reference: shares add up to logit(prediction) −
 *   logit(baseProbability) within about 1 %. About 30 predictions' worth of work.
 * - `midpoint`: the same integral by the midpoint rule with `steps` gradients (1 by default):
 *   one gradient halfway between the baseline and the record, about one prediction's worth.
 *   Agrees with the reference's top-3 reasons most of the time and on their signs almost
 *   always (figures: bench/RESULTS.md, "Reasons"); its shares need not add up exactly. The
 *   Express plugin serves its reasons this way.
 */
export type ExplainMethod = 'integrated-gradients' | 'midpoint';

/** Options of `ExplainableChurnModel.explain`. */
export interface ExplainOptions {
  /** Keep only the `top` columns with the largest |contribution| (default: all). */
  top?: number;
  /** Default `integrated-gradients`; see `ExplainMethod`. */
  method?: ExplainMethod;
  /** Gradients along the path for MLP explanations (default 32 for integrated-gradients, 1 for midpoint; ignored for logreg, which is exact). */
  steps?: number;
}

/** A loaded model that also explains its predictions: what `explainable(model)` returns. */
export interface ExplainableChurnModel extends ChurnModel {
  /** Per raw column, its share of logit(predict(record)) − logit(baseProbability), largest |share| first. */
  explain(record: RawRecord, options?: ExplainOptions): Contribution[];
}

const DEFAULT_STEPS: Record<ExplainMethod, number> = { 'integrated-gradients': 32, midpoint: 1 };
const QUADRATURE = { 'integrated-gradients': 'trapezoid', midpoint: 'midpoint' } as const;

/**
 * The model, able to explain: a model `loadModel` returned gets `explain` attached (once) and
 * is returned itself; a model that already has an `explain` method (one of your own, or one
 * `train` returned) is returned as it is. Anything else is an `OptionsError`
 * (`MODEL_NOT_EXPLAINABLE`).
 *
 * @example
 * const model = explainable(loadModel(engine, await parseModelFile(text)));
 * model.explain(record, { top: 3 }); // [{ feature: 'Tenure', value: 1, contribution: 1.9 }, ...]
 * model.explain(record, { top: 3, method: 'midpoint' }); // about one prediction's cost
 */
export function explainable<Model extends ChurnModel>(model: Model): Model & ExplainableChurnModel {
  if (typeof (model as Partial<ExplainableChurnModel>).explain === 'function') return model as Model & ExplainableChurnModel;
  if (model instanceof LoadedChurnModel) return Object.assign(model, { explain: explainerOf(model) });
  throw new OptionsError('MODEL_NOT_EXPLAINABLE', 'explainable() takes a model loadModel returned, or one with its own explain method');
}

/** `explain` for one loaded model, with the buffers every call reuses (the encoded record, its shares, gradient vectors, column sums). */
function explainerOf(model: LoadedChurnModel): ExplainableChurnModel['explain'] {
  const { network, encode, featureSpec } = model;
  const inputs = featureSpec.inputSize;
  const baseline = Float32Array.from(featureSpec.baseline);
  /** logreg only: the first-layer weights, for exact explanations. */
  const linearWeights = model.toFile().architecture.kind === 'logreg' ? network.getParameters().slice(0, inputs) : undefined;
  const input = new Float32Array(inputs);
  const shares = new Float64Array(inputs);
  const scratch = gradientScratch(inputs);
  const layout = columnLayout(featureSpec);

  return (record, options = {}) => {
    const top = options.top ?? Infinity;
    const method = options.method ?? 'integrated-gradients';
    if (!(top >= 0)) throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "top" is ${top}; expected a number >= 0`);
    if (!Object.hasOwn(DEFAULT_STEPS, method)) {
      throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "method" is ${JSON.stringify(method)}; expected "integrated-gradients" or "midpoint"`);
    }
    const steps = options.steps ?? DEFAULT_STEPS[method];
    if (!Number.isInteger(steps) || steps < 1) {
      throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "steps" is ${steps}; expected an integer >= 1`);
    }
    encode(record, input, 0);
    if (linearWeights) linearContributions(linearWeights, input, baseline, shares);
    else integratedGradients(network, input, baseline, steps, shares, QUADRATURE[method], scratch);
    return columnContributions(layout, record, shares, top);
  };
}
