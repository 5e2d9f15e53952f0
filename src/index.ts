/**
 * churnkit's runtime-neutral public API (`churnkit`): engine loading (the kernel given as a
 * `WebAssembly.Module`, bytes, a `Response` or a URL), feature specs, model files, scoring,
 * explanations, training and metrics. It imports no Node built-in, no Node-only package and
 * compiles no code at run time, so it runs unchanged in Node, Cloudflare Workers (workerd),
 * Deno, Bun and browsers under a strict Content-Security-Policy; `test/boundary` proves it.
 * Node users get the kernel and model files from disk through `churnkit/node`.
 */

export { ChurnkitError, OptionsError, ModelFormatError, InputError, EngineError, type InputLocation } from './errors.js';

export type { Activation, Engine, EngineKind, Network, NetworkShape, TrainableNetwork, TrainingConfig } from './engine/types.js';
export { loadEngine, type LoadEngineOptions, type KernelSource } from './engine/load-engine.js';
export { createJsEngine } from './engine/js-engine.js';
export { trainable } from './engine/trainable.js';

export type {
  RawRecord,
  ColumnType,
  ColumnSpec,
  NumericColumnSpec,
  CategoricalColumnSpec,
  BooleanColumnSpec,
  CategoryNormalization,
  FeatureSpec,
} from './model/feature-spec.js';
export { fitFeatureSpec, type FeatureSpecOptions } from './model/fit-feature-spec.js';
export { encodeRecord } from './model/encode-record.js';
export { DEFAULT_CATEGORY_ALIASES } from './model/category-normalization.js';
export {
  parseModelFile,
  serializeModel,
  MODEL_LIMITS,
  type ParseModelFileOptions,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFileV1,
  type ModelMetadata,
  type ModelArchitecture,
  type ModelContents,
} from './model/model-file.js';
export { loadModel, type ChurnModel } from './model/churn-model.js';
export { explainable, type ExplainableChurnModel, type ExplainMethod, type ExplainOptions, type Contribution } from './explain/explainable.js';
export { percentileOf } from './model/percentile.js';
export { describeFeature, displaysOf, type FeatureDisplays } from './explain/describe-feature.js';
export { EVENT_FEATURE_DISPLAY, type FeatureDisplay } from './features/feature-display.js';

export { train, type TrainResult } from './train/train.js';
export type { TrainOptions, EpochProgress, ClassWeight } from './train/train-options.js';
export type { LearningRateSchedule } from './train/learning-rate-schedule.js';
export { parseTarget } from './train/parse-target.js';
export { stratifiedFolds, type Fold } from './train/stratified-folds.js';

export * from './metrics/index.js';

export type { ChurnEvent } from './events/types.js';
export {
  createCustomerState,
  applyEvent,
  featuresAt,
  FEATURE_NAMES,
  type CustomerState,
  type FeatureName,
} from './features/online-state.js';

export * from './bgnbd/index.js';
