/**
 * Which columns a batch feature table writes. Every feature, except the usual-time pairs
 * when the log cannot show a habit. `hour_sin`/`hour_cos` and `weekday_sin`/`weekday_cos`
 * are circular means over a customer's events: a habit ("shops on Saturday mornings") when
 * the customer was seen on many days, but only the weekday of one day for a customer seen
 * once — a column that is noise to a model, which it then fits. On CDNOW (median customer:
 * one purchase day) the four columns carry no signal (univariate ROC AUC 0.500 and 0.497)
 * and the default MLP's 5-fold AUC is 0.002 higher without them, at every seed tried. So the
 * table leaves them out when the typical customer is seen on fewer than MIN_HABIT_DAYS
 * distinct days, and leaves out the hour pair when the log has no time of day (a log
 * stamped by date, like CDNOW, puts every event at midnight). The decision reads only the
 * events before the cut-off, never the labels.
 *
 * The online state and the plugin still compute every feature: a model trained on a table
 * without these columns simply does not ask for them.
 */
import { quantileOfSorted } from '../model/quantile.js';
import { FEATURE_NAMES, type FeatureName } from './feature-definitions.js';

/** Distinct active days the median customer needs before a usual hour or weekday means a habit. */
export const MIN_HABIT_DAYS = 3;

const USUAL_HOUR: readonly FeatureName[] = ['hour_sin', 'hour_cos'];
const USUAL_WEEKDAY: readonly FeatureName[] = ['weekday_sin', 'weekday_cos'];

export interface LeftOutColumns {
  columns: readonly FeatureName[];
  /** Why, in words for the person who ran `churnkit features`. */
  reason: string;
}

export interface TableColumns {
  /** The features the table writes, in FEATURE_NAMES order. */
  columns: FeatureName[];
  leftOut: LeftOutColumns[];
}

/** What the decision reads of a batch (`BatchFeatures` has it): per-customer distinct active days, and the log's hours. */
export interface TableColumnsInput {
  activeDays: ArrayLike<number>;
  /** Every event before the cut-off fell at the same hour of the day. */
  oneHourOfDay: boolean;
}

/**
 * The columns of a feature table built from `batch`.
 *
 * @example
 * ```ts
 * const { columns, leftOut } = tableColumns(computeBatchFeatures(columns, { label }));
 * // CDNOW: leftOut[0].columns = ['hour_sin', 'hour_cos', 'weekday_sin', 'weekday_cos']
 * ```
 */
export function tableColumns(batch: TableColumnsInput): TableColumns {
  const leftOut: LeftOutColumns[] = [];
  if (batch.activeDays.length > 0) {
    const days = quantileOfSorted(Float64Array.from(batch.activeDays).sort(), 0.5);
    if (days < MIN_HABIT_DAYS) {
      leftOut.push({
        columns: [...USUAL_HOUR, ...USUAL_WEEKDAY],
        reason: `the median customer was active on ${days} distinct day${days === 1 ? '' : 's'} before the cut-off; a usual hour or weekday needs ${MIN_HABIT_DAYS}`,
      });
    } else if (batch.oneHourOfDay) {
      leftOut.push({ columns: USUAL_HOUR, reason: 'every event before the cut-off falls at the same hour of the day (as in a log stamped by date)' });
    }
  }
  const dropped = new Set(leftOut.flatMap((group) => group.columns));
  return { columns: FEATURE_NAMES.filter((name) => !dropped.has(name)), leftOut };
}
