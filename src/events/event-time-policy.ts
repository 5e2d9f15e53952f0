/**
 * When an event may have happened: the one rule every way in applies (the CSV, JSON Lines and
 * CDNOW readers; the plugin's events route). A customer's state is built from event times —
 * windows, recency, which day buckets are kept — so one event stamped in the wrong unit or the
 * wrong century can skew a customer for good. Such events are refused, not stored:
 *
 * - **not after now plus a small clock-skew allowance** (default 5 minutes): nothing has
 *   happened yet after "now". For live events "now" is the server's clock when the event
 *   arrives; for a file it is the moment reading starts (an export cannot hold events from
 *   after it is read). A microsecond timestamp (1.7e15), 1e20 or next year's date is caught here;
 * - **not before a floor** (default 1990-01-01T00:00:00Z, before online stores existed): a
 *   timestamp in seconds read as milliseconds (1.7e9 ms is January 1970), year 1900 or 0 is
 *   caught here. A store with older records lowers the floor (`earliestMs`, `--earliest`).
 *
 * Runtime-neutral (no Node built-ins): the plugin imports it as it is.
 */
import { OptionsError } from '../errors.js';

/** 1990-01-01T00:00:00Z: the default floor, years before the first online store. */
export const DEFAULT_EARLIEST_EVENT_MS = Date.UTC(1990, 0, 1);

/** Five minutes: how far ahead of "now" an event may be stamped by a clock that runs fast. */
export const DEFAULT_FUTURE_SKEW_MS = 5 * 60_000;

/** The largest time a JavaScript `Date` can show (±8.64e15 ms, year ±275,760). */
const LARGEST_DATE_MS = 8.64e15;

export interface EventTimePolicyOptions {
  /** Earliest accepted event time, epoch milliseconds. Default 1990-01-01T00:00:00Z. */
  earliestMs?: number;
  /** How far after "now" an event may be stamped, in milliseconds (0 to 1 day). Default 5 minutes. */
  futureSkewMs?: number;
}

/** A resolved, validated policy: build it once (at construction), check many events with it. */
export interface EventTimePolicy {
  readonly earliestMs: number;
  readonly futureSkewMs: number;
}

/** A policy and the "now" it is applied at: what a parser needs to accept or refuse an event time. */
export interface EventTimeCheck {
  readonly policy: EventTimePolicy;
  readonly nowMs: number;
}

/**
 * Validates the options once into a policy.
 *
 * @example
 * ```ts
 * const policy = resolveEventTimePolicy({ earliestMs: Date.UTC(1980, 0, 1) });
 * eventTimeProblem(Date.UTC(1985, 5, 1), policy, Date.now()); // undefined: accepted
 * ```
 */
export function resolveEventTimePolicy(options: EventTimePolicyOptions = {}): EventTimePolicy {
  const earliestMs = options.earliestMs ?? DEFAULT_EARLIEST_EVENT_MS;
  const futureSkewMs = options.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
  if (!(Number.isFinite(earliestMs) && Math.abs(earliestMs) <= LARGEST_DATE_MS)) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `option "earliestMs" is ${String(earliestMs)}; expected epoch milliseconds (a finite number within the range of a Date)`);
  }
  if (!(futureSkewMs >= 0 && futureSkewMs <= 86_400_000)) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `option "futureSkewMs" is ${String(futureSkewMs)}; expected milliseconds from 0 to 86400000 (one day)`);
  }
  return { earliestMs, futureSkewMs };
}

/**
 * Why an event time is refused, or undefined when it is accepted. The reason names the time,
 * the bound it breaks and, when the time is plausible in another unit, that unit ("looks like
 * seconds since the epoch: multiply by 1,000"). Callers add the field and where it was found.
 *
 * @example
 * ```ts
 * eventTimeProblem(1_733_000_000_000_000, policy, Date.now());
 * // '1733000000000000 is after 2026-12-02T10:05:00.000Z, the latest accepted time (now plus 5 minutes of
 * //  clock skew); it looks like microseconds since the epoch: divide by 1,000'
 * ```
 */
export function eventTimeProblem(ts: number, policy: EventTimePolicy, nowMs: number): string | undefined {
  const latestMs = nowMs + policy.futureSkewMs;
  const accepted = (ms: number) => ms >= policy.earliestMs && ms <= latestMs;
  if (accepted(ts)) return undefined;
  const reason =
    ts > latestMs
      ? `${describeTime(ts)} is after ${isoTime(latestMs)}, the latest accepted time (now plus ${describeSkew(policy.futureSkewMs)} of clock skew): an event cannot come from the future`
      : `${describeTime(ts)} is before ${isoTime(policy.earliestMs)}, the earliest accepted time (older records need a lower floor: --earliest, or the "earliestMs" option)`;
  const unit = accepted(ts / 1_000)
    ? 'microseconds since the epoch: divide by 1,000'
    : accepted(ts / 1_000_000)
      ? 'nanoseconds since the epoch: divide by 1,000,000'
      : accepted(ts * 1_000)
        ? 'seconds since the epoch: multiply by 1,000'
        : undefined;
  return unit === undefined ? reason : `${reason}; it looks like ${unit}`;
}

function describeTime(ms: number): string {
  return Math.abs(ms) <= LARGEST_DATE_MS ? `${ms} (${isoTime(ms)})` : String(ms);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function describeSkew(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${ms} ms`;
}
