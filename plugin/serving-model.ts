/**
 * What the plugin needs from a model: the part of `ChurnModel` it calls. Naming the
 * subset keeps the plugin's contract with the model small and visible.
 */
import type { Contribution, ExplainableChurnModel } from '../src/explain/explainable.js';
import type { RawRecord } from '../src/model/feature-spec.js';

export type { RawRecord };

/**
 * One raw column's share of a prediction, as `model.explain` gives it (raw name, value and
 * log-odds contribution, for programs), and the value in a shop owner's words (`text`: the
 * serving model's display words over the event features' built-in ones), e.g.
 * `{ feature: 'log_refunds_total', value: 0.693, contribution: 0.41, text: '1 refund so far' }`.
 */
export interface Reason extends Contribution {
  text: string;
}

export type ServingModel = Pick<ExplainableChurnModel, 'version' | 'engine' | 'threshold' | 'features' | 'featureSpec' | 'metadata' | 'predict' | 'explain'>;
