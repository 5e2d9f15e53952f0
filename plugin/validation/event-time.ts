/**
 * A live event's time against the plugin's event-time policy (src/events/event-time-policy.ts,
 * the rule the CSV/JSONL/CDNOW readers apply too), resolved once at construction: an event
 * beyond the clock-skew allowance or before the floor is refused with a 400 naming the field
 * and saying why, and nothing of its request is stored.
 */
import { InputError } from '../../src/errors.js';
import { eventTimeProblem, type EventTimePolicy } from '../../src/events/event-time-policy.js';

/**
 * Throws an `InputError` (`EVENT_TIME_OUT_OF_RANGE`) naming `field` when `ts` is outside the policy at `nowMs`.
 *
 * @example
 * checkEventTime(1.7e15, 'events.3.ts', policy, Date.now());
 * // InputError: field "events.3.ts": 1700000000000000 is after 2026-12-02T10:05:00.000Z, ... it looks like microseconds since the epoch: divide by 1,000
 */
export function checkEventTime(ts: number, field: string, policy: EventTimePolicy, nowMs: number): void {
  const problem = eventTimeProblem(ts, policy, nowMs);
  if (problem !== undefined) throw new InputError('EVENT_TIME_OUT_OF_RANGE', problem, { field });
}

/**
 * `checkEventTime` for every event of a batch, naming the first refused one's field
 * `<listField>.<index>.ts`: spelled out only for it, not for each event checked.
 *
 * @example
 * checkEventTimes(events, 'events', policy, Date.now());
 * // InputError: field "events.3.ts": 1700000000000000 is after ...
 */
export function checkEventTimes(events: readonly { ts: number }[], listField: string, policy: EventTimePolicy, nowMs: number): void {
  for (let index = 0; index < events.length; index++) {
    const { ts } = events[index]!;
    if (eventTimeProblem(ts, policy, nowMs) !== undefined) checkEventTime(ts, `${listField}.${index}.ts`, policy, nowMs);
  }
}
