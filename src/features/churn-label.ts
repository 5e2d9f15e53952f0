import { OptionsError } from '../errors.js';
import { DAY_MS } from '../events/day.js';
import { resolveEventTimePolicy, type EventTimeCheck } from '../events/event-time-policy.js';
import { utcTime } from '../events/utc-time.js';

/**
 * The churn definition for non-contractual commerce, as configuration (docs/events.md):
 * a customer observed up to the cut-off churns when they show no "active" event in the
 * label window [cut-off + gap, cut-off + horizon). The window is closed at its start so that
 * observation (ts < cut-off) and label meet without a hole: an event stamped exactly at the
 * cut-off (every CDNOW purchase of 1997-10-01 is stamped 00:00) is a label event, not lost.
 * So `--as-of 1997-09-30 --horizon 39w` labels on the days 1997-10-01 .. 1998-06-30.
 */
export interface ChurnLabelConfig {
  /** Observation ends here (exclusive): features use only events with ts < cutoffMs. */
  cutoffMs: number;
  /** The label window is [labelStartMs, labelEndMs). */
  labelStartMs: number;
  labelEndMs: number;
  /** Event types that count as activity (default: order). */
  activeTypes: readonly string[];
}

export interface ChurnLabelOptions {
  /** `1997-09-30` (the whole UTC day is observed: the cut-off is the next midnight) or an ISO date-time (that instant). */
  asOf: string;
  /** Length of the prediction horizon after the cut-off, e.g. `90d`, `39w`, `12h`. */
  horizon: string;
  /** Time right after the cut-off that belongs to neither observation nor label. Default `0d`. */
  gap?: string;
  /** Event types that count as "active". Default `['order']`. */
  activeTypes?: readonly string[];
  /** The event-time policy the log is read with, and "now": the as-of day may not be later than today. Default: the default policy, now. */
  times?: EventTimeCheck;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(h|d|w)$/;
const UNIT_MS = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS } as const;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a duration such as `90d`, `39w`, `12h` (or `0`) into milliseconds.
 *
 * @example
 * ```ts
 * parseDuration('39w', '--horizon'); // 23_587_200_000
 * ```
 */
export function parseDuration(text: string, option: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = DURATION.exec(trimmed);
  if (!match) throw new OptionsError('OPTION_DURATION', `${option} must be a duration like 90d, 39w or 12h, got "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * The cut-off instant of `--as-of`: a date alone means "including that whole UTC day", so the
 * cut-off is the following midnight; a date-time is taken as that instant (UTC when it has no zone).
 * The event-time policy bounds it like an event: nothing can be observed after now (a date may
 * be today, whose end is still to come), nor before the policy's earliest time.
 *
 * @example
 * ```ts
 * parseAsOf('1997-09-30'); // Date.UTC(1997, 9, 1): observe every event before 1997-10-01T00:00Z
 * ```
 */
export function parseAsOf(text: string, times: EventTimeCheck = { policy: resolveEventTimePolicy(), nowMs: Date.now() }): number {
  const trimmed = text.trim();
  const dateOnly = DATE_ONLY.exec(trimmed);
  let startMs: number | undefined;
  let cutoffMs: number | undefined;
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const midnight = utcTime(year, month - 1, day);
    const check = new Date(midnight);
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === day) [startMs, cutoffMs] = [midnight, midnight + DAY_MS];
  } else if (DATE_TIME.test(trimmed)) {
    const normalized = trimmed.replace(' ', 'T');
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(normalized);
    const ms = Date.parse(hasZone ? normalized : `${normalized}Z`);
    if (Number.isFinite(ms)) [startMs, cutoffMs] = [ms, ms];
  }
  if (startMs === undefined || cutoffMs === undefined) {
    throw new OptionsError('OPTION_AS_OF', `--as-of must be a date (1997-09-30) or an ISO date-time (1997-09-30T12:00:00Z), got "${text}"`);
  }
  const { policy, nowMs } = times;
  if (startMs > nowMs + policy.futureSkewMs) {
    throw new OptionsError('OPTION_AS_OF', `--as-of ${trimmed} is in the future (it is now ${new Date(nowMs).toISOString()}): features can only be observed up to now`);
  }
  if (cutoffMs <= policy.earliestMs) {
    throw new OptionsError(
      'OPTION_AS_OF',
      `--as-of ${trimmed} is before ${new Date(policy.earliestMs).toISOString()}, the earliest accepted event time, so no event could be observed (lower it with --earliest)`,
    );
  }
  return cutoffMs;
}

/**
 * Resolves the churn definition once, validating every option.
 *
 * @example
 * ```ts
 * const label = resolveChurnLabel({ asOf: '1997-09-30', horizon: '39w' });
 * // observation: ts < 1997-10-01T00:00Z; churned = no order in [1997-10-01T00:00Z, 1998-07-01T00:00Z)
 * ```
 */
export function resolveChurnLabel(options: ChurnLabelOptions): ChurnLabelConfig {
  const cutoffMs = parseAsOf(options.asOf, options.times);
  const horizonMs = parseDuration(options.horizon, '--horizon');
  const gapMs = parseDuration(options.gap ?? '0', '--gap');
  if (horizonMs <= 0) throw new OptionsError('OPTION_HORIZON', `--horizon must be longer than zero, got "${options.horizon}"`);
  if (gapMs >= horizonMs) {
    throw new OptionsError('OPTION_GAP', `--gap (${options.gap}) must be shorter than --horizon (${options.horizon}), or the label window is empty`);
  }
  const activeTypes = (options.activeTypes ?? ['order']).map((type) => type.trim()).filter((type) => type !== '');
  if (activeTypes.length === 0) throw new OptionsError('OPTION_ACTIVE', '--active needs at least one event type, e.g. order or session_start');
  return { cutoffMs, labelStartMs: cutoffMs + gapMs, labelEndMs: cutoffMs + horizonMs, activeTypes };
}
