/**
 * A duration option as the CLI's flags take it (`90d`, `2w`, `12h`: src/features/churn-label.ts's
 * `parseDuration`), checked once at construction with a message that says what is expected.
 */
import { parseDuration } from '../../src/features/churn-label.js';
import { z } from './zod.js';

const HOUR_MS = 3_600_000;

/**
 * The zod field of a duration of at least `leastMs`; `what` names it in `parseDuration`'s errors.
 *
 * @example
 * const every = durationField(3_600_000, 'every'); // '7d' passes, '30m' does not
 */
export function durationField(leastMs: number, what: string) {
  return z.string().refine((text) => {
    try {
      return parseDuration(text, what) >= leastMs;
    } catch {
      return false;
    }
  }, `expected a duration such as 90d, 2w or 12h${leastMs >= HOUR_MS ? ` (at least ${leastMs / HOUR_MS}h)` : ''}`);
}
