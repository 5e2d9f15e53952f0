import { excerpt } from '../errors.js';
import type { ChurnEvent } from './types.js';
import { EXPECTED_AMOUNT, isUsableAmount } from './event-amount.js';
import type { FieldProblem } from './parse-event-fields.js';
import { eventTimeProblem, type EventTimeCheck } from './event-time-policy.js';
import { utcTime } from './utc-time.js';

/**
 * One record of the CDNOW purchase log (Fader, Hardie & Lee 2005) as an `order` event.
 * Both published files are accepted, told apart by their number of columns:
 * - master: `customer_id date(YYYYMMDD) number_of_cds dollar_value` (4 columns, a header line);
 * - sample: `customer_id customer_index date(YYYYMMDD) cds value` (5 columns, no header).
 * The event time is that date at 00:00 UTC (the log has no time of day), checked against `times`.
 */
export function parseCdnowLine(line: string, times: EventTimeCheck): ChurnEvent | FieldProblem {
  const columns = line.trim().split(/\s+/);
  if (columns.length !== 4 && columns.length !== 5) {
    return {
      field: 'columns',
      message: `expected 4 columns (customer_id date cds dollars) or 5 (customer_id index date cds dollars), got ${columns.length}`,
    };
  }
  const [customerId, date, cds, dollars] = columns.length === 4 ? columns : [columns[0], columns[2], columns[3], columns[4]];
  const ts = parseCompactDate(date!);
  if (ts === undefined) return { field: 'date', message: `expected a date as YYYYMMDD, got "${excerpt(date!)}"` };
  const refused = eventTimeProblem(ts, times.policy, times.nowMs);
  if (refused !== undefined) return { field: 'date', message: refused };
  const quantity = parseAmount(cds!, 'number_of_cds');
  if (typeof quantity !== 'number') return quantity;
  const value = parseAmount(dollars!, 'dollar_value');
  if (typeof value !== 'number') return value;
  return { customerId: customerId!, ts, type: 'order', value, quantity };
}

/** The column's number, or what is wrong with it. */
function parseAmount(text: string, field: string): number | FieldProblem {
  const amount = Number(text);
  if (!Number.isFinite(amount)) return { field, message: `expected a number, got "${excerpt(text)}"` };
  if (!isUsableAmount(amount)) return { field, message: `${EXPECTED_AMOUNT}, got "${excerpt(text)}"` };
  return amount;
}

/** True for the master file's header line (its first column is not a customer number). */
export function isCdnowHeader(line: string): boolean {
  return /^\s*customer_id\b/i.test(line);
}

function parseCompactDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = utcTime(year, month - 1, day);
  const check = new Date(ms);
  // utcTime (as Date.UTC) rolls 19970231 over into March; such a date is a typo, not a day.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return ms;
}
