/**
 * Where retraining draws its point-in-time rows: one evaluation cut-off, the latest whose
 * label window has fully elapsed, and training cut-offs early enough that their label
 * windows end by the evaluation cut-off. Nothing the evaluation labels look at is in any
 * training row or label: the comparison is out of time, as the model will be used.
 */
import { InputError } from '../errors.js';
import { DAY_MS } from '../events/day.js';
import { parseDuration, resolveChurnLabel, type ChurnLabelConfig } from '../features/churn-label.js';

export interface CutoffPlanOptions {
  /** The churn definition's horizon and gap (e.g. `90d`, `0d`) and active event types, as in `churnkit features`. */
  horizon: string;
  gap?: string;
  activeTypes?: readonly string[];
  /** How many training cut-offs (at least 1). */
  trainingCutoffs: number;
  /** Time between training cut-offs, e.g. `30d`. */
  step: string;
  /** The log is complete up to here (exclusive). Default: the start of the UTC day of the latest event (that day may still be under way). */
  untilMs?: number;
}

export interface CutoffPlan {
  /** The end of the complete part of the log. */
  untilMs: number;
  /** Its label window ends at `untilMs`. */
  evaluation: ChurnLabelConfig;
  /** Oldest first; each label window ends at or before the evaluation cut-off. */
  training: ChurnLabelConfig[];
}

/**
 * Plans the cut-offs of a log spanning [firstEventMs, lastEventMs]. Training cut-offs with no
 * event before them are left out; a log too short for one is an `InputError` naming the span
 * it would need, and so is an `untilMs` in the future or not after the first event.
 *
 * @example
 * const plan = planCutoffs(Date.parse('2025-01-01'), Date.parse('2026-02-04T12:00Z'), { horizon: '90d', trainingCutoffs: 3, step: '30d' });
 * // evaluation cut-off 2025-11-06 (labels up to 2026-02-04); training cut-offs 2025-06-09, 2025-07-09, 2025-08-08
 */
export function planCutoffs(firstEventMs: number, lastEventMs: number, options: CutoffPlanOptions): CutoffPlan {
  const horizonMs = parseDuration(options.horizon, '--horizon');
  const stepMs = parseDuration(options.step, '--step');
  if (stepMs <= 0) throw new InputError('RETRAIN_STEP', `--step must be longer than zero, got "${options.step}"`);
  if (options.untilMs !== undefined) requireUntilWithinLog(options.untilMs, firstEventMs, lastEventMs);
  const untilMs = options.untilMs ?? Math.floor(lastEventMs / DAY_MS) * DAY_MS;
  const label = (cutoffMs: number) =>
    resolveChurnLabel({
      asOf: new Date(cutoffMs).toISOString(),
      horizon: options.horizon,
      ...(options.gap !== undefined ? { gap: options.gap } : {}),
      ...(options.activeTypes !== undefined ? { activeTypes: options.activeTypes } : {}),
    });
  const evaluationCutoff = untilMs - horizonMs;
  const training: ChurnLabelConfig[] = [];
  for (let k = options.trainingCutoffs - 1; k >= 0; k--) {
    const cutoffMs = evaluationCutoff - horizonMs - k * stepMs;
    if (cutoffMs > firstEventMs) training.push(label(cutoffMs));
  }
  if (training.length === 0) {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    throw new InputError(
      'RETRAIN_LOG_TOO_SHORT',
      `the store's complete log spans ${day(firstEventMs)} to ${day(untilMs)} (${((untilMs - firstEventMs) / DAY_MS).toFixed(0)} days): ` +
        `an out-of-time retrain with --horizon ${options.horizon} needs more than two horizons (${((2 * horizonMs) / DAY_MS).toFixed(0)} days), ` +
        'one for the evaluation labels and one for the training labels, plus some history before the training cut-off',
    );
  }
  return { untilMs, evaluation: label(evaluationCutoff), training };
}

/**
 * The log can be complete only up to now, and only after its first event: a later `--until`
 * would label every customer churned for the days to come, an earlier one leaves no rows. Nor
 * past the day of its last event: a store that received nothing since then is more likely cut
 * off than complete, and the labels would read its silence as every customer leaving.
 */
function requireUntilWithinLog(untilMs: number, firstEventMs: number, lastEventMs: number): void {
  const nowMs = Date.now();
  const instant = (ms: number) => new Date(ms).toISOString();
  if (untilMs > nowMs) {
    throw new InputError('RETRAIN_UNTIL', `--until ${instant(untilMs)} is in the future (it is now ${instant(nowMs)}): the log can only be complete up to now`);
  }
  if (untilMs <= firstEventMs) {
    throw new InputError('RETRAIN_UNTIL', `--until ${instant(untilMs)} is not after the store's first event (${instant(firstEventMs)}): no history would be left to retrain from`);
  }
  const lastDayEndMs = (Math.floor(lastEventMs / DAY_MS) + 1) * DAY_MS;
  if (untilMs > lastDayEndMs) {
    throw new InputError(
      'RETRAIN_UNTIL',
      `--until ${instant(untilMs)} is after the day of the store's last event (${instant(lastEventMs)}): the log holds nothing after it to show it is complete; give --until ${instant(lastDayEndMs)} or earlier`,
    );
  }
}
