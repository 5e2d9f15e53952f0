/**
 * The words a trained model carries for its features (`metadata.options.display`): the
 * caller's for the columns it names, the built-in words of the event features for the other
 * columns that are event features. So a model trained on `churnkit features` output explains
 * itself in words without being asked, and a data person can word any other table.
 */
import { excerpt, OptionsError } from '../errors.js';
import { EVENT_FEATURE_DISPLAY, type FeatureDisplay } from '../features/feature-display.js';

/**
 * The display entries of `columns`; throws `OptionsError` when `given` names a column the
 * model does not have (a typo, the target or the id), naming them.
 *
 * @example
 * featureWords(['Tenure', 'log_refunds_total'], { Tenure: { label: 'Tenure', unit: 'months' } });
 * // { Tenure: { label: 'Tenure', unit: 'months' }, log_refunds_total: { label: 'refunds so far', ... } }
 */
export function featureWords(columns: readonly string[], given: Readonly<Record<string, FeatureDisplay>>): Record<string, FeatureDisplay> {
  const known = new Set(columns);
  const strangers = Object.keys(given).filter((name) => !known.has(name));
  if (strangers.length > 0) {
    const listed = strangers.slice(0, 5).map((name) => `"${excerpt(name)}"`).join(', ');
    throw new OptionsError(
      'OPTIONS_BAD_VALUE',
      `display words for ${listed}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''} name no feature column of the data (the target and id columns are not features)`,
    );
  }
  const words: Record<string, FeatureDisplay> = {};
  for (const name of columns) {
    const entry = Object.hasOwn(given, name) ? given[name] : Object.hasOwn(EVENT_FEATURE_DISPLAY, name) ? EVENT_FEATURE_DISPLAY[name as keyof typeof EVENT_FEATURE_DISPLAY] : undefined;
    if (entry !== undefined) words[name] = entry;
  }
  return words;
}
