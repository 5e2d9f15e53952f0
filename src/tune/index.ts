/**
 * `churnkit/tune`: random search over the trainer's settings with stratified
 * k-fold cross-validation, and the rule that picks between the defaults and
 * the best configuration. Runtime-neutral, like `train`.
 */
export { tune, type TuneOptions, type TuneResult, type TrialResult, type TuneProgress, type TrialSettings } from './tune.js';
export { DEFAULT_SEARCH_SPACE, TUNED_SETTING_NAMES, drawSettings, type SearchSpace, type TunedSettings, type KindChoices, type EpochBudget } from './search-space.js';
export { chooseConfiguration, type Selection } from './selection-rule.js';
