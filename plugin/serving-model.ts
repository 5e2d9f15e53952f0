/**
 * What the plugin needs from a model: the part of `ChurnModel` it calls. Naming the
 * subset keeps the plugin's contract with the model small and visible.
 */
import type { ChurnModel, Contribution } from '../src/model/churn-model.js';
import type { RawRecord } from '../src/model/feature-spec.js';

export type { RawRecord };
/** One raw column's share of a prediction, as `model.explain` gives it. */
export type Reason = Contribution;

export type ServingModel = Pick<ChurnModel, 'version' | 'engine' | 'threshold' | 'features' | 'featureSpec' | 'metadata' | 'predict' | 'explain'>;
