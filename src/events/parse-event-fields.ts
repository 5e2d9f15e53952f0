import { excerpt } from '../errors.js';
import type { ChurnEvent } from './types.js';
import { EXPECTED_AMOUNT, isUsableAmount } from './event-amount.js';
import { eventTimeProblem, type EventTimeCheck } from './event-time-policy.js';
import { utcTime } from './utc-time.js';

/**
 * Turns the textual (or JSON) fields of one event row into a validated `ChurnEvent`, the one
 * place where the schema of docs/events.md is enforced for every input format.
 */

/** The fields of one row before validation: strings from CSV, anything from JSON. */
export interface RawEventFields {
  customer_id?: unknown;
  ts?: unknown;
  type?: unknown;
  value?: unknown;
  quantity?: unknown;
  category?: unknown;
  rating?: unknown;
  channel?: unknown;
}

/** What was wrong with a row: the field and what was expected, for the caller to place in a file and line. */
export interface FieldProblem {
  field: string;
  message: string;
}

// ISO 8601 date or date-time: 2024-03-01, 2024-03-01T10:00, 2024-03-01T10:00:00.123Z, 2024-03-01 10:00:00+02:00.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/;
const EPOCH_MS = /^-?\d{1,16}$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an event time: epoch milliseconds (a number or a string of digits) or an ISO 8601
 * date/date-time. A date-time without a zone is read as UTC, so that a log means the same
 * thing on every machine. Returns undefined when the text is neither, or names a day or time
 * that does not exist (2024-02-30, 24:10). Fractions of a second beyond milliseconds are cut.
 */
export function parseTimestamp(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const common = parseCommonIsoShape(text);
  if (common !== null) return common;
  if (EPOCH_MS.test(text)) return Number(text);
  // Computed from the parts rather than by Date.parse: stricter (no rolled-over days).
  const parts = ISO_8601.exec(text);
  if (parts === null) return undefined;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const [hour, minute, second] = [Number(parts[4] ?? 0), Number(parts[5] ?? 0), Number(parts[6] ?? 0)];
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const milliseconds = parts[7] === undefined ? 0 : Number(`${parts[7]}00`.slice(0, 3));
  const zoneMinutes = parts[9] === undefined ? 0 : (parts[9] === '-' ? -1 : 1) * (Number(parts[10]) * 60 + Number(parts[11]));
  return utcTime(year, month - 1, day, hour, minute, second, milliseconds) - zoneMinutes * 60_000;
}

/**
 * The shapes logs nearly always use — `2024-03-01`, `2024-03-01T10:15:30` and the same with a
 * final `Z` — read digit by digit without allocating (on a 10-million-event log, the regex's
 * capture strings cost more time in garbage collection than the parsing itself). Returns null
 * for any other shape (the general path decides), undefined for an impossible day or time.
 */
function parseCommonIsoShape(text: string): number | undefined | null {
  const length = text.length;
  if (length !== 10 && length !== 19 && !(length === 20 && text.charCodeAt(19) === 90 /* Z */)) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  let hour = 0;
  let minute = 0;
  let second = 0;
  if (length > 10) {
    const separator = text.charCodeAt(10);
    if ((separator !== 84 /* T */ && separator !== 32) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    second = digits(text, 17, 2);
  }
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return utcTime(year, month - 1, day, hour, minute, second);
}

/** The number written by `count` decimal digits at `start`, or −1 if one of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A day that exists: Date.UTC would roll 2024-02-30 over into March, which hides a typo. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month !== 2 || day <= 28 || leap;
}

function optionalNumber(raw: unknown, field: string): number | undefined | FieldProblem {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const parsed = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(parsed) || (typeof raw === 'string' && raw.trim() === '')) {
    return { field, message: `expected a finite number or nothing, got ${quoted(raw)}` };
  }
  if (!isUsableAmount(parsed)) return { field, message: `${EXPECTED_AMOUNT}, got ${quoted(raw)}` };
  return parsed;
}

function optionalText(raw: unknown, field: string): string | undefined | FieldProblem {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return { field, message: `expected text or nothing, got ${quoted(raw)}` };
  return raw;
}

/** A raw field as JSON, cut to an excerpt. */
function quoted(raw: unknown): string {
  return excerpt(JSON.stringify(raw) ?? String(raw));
}

function isProblem(value: unknown): value is FieldProblem {
  return typeof value === 'object' && value !== null && 'message' in value;
}

/** Validates one row, its time against `times` (see event-time-policy.ts). Returns the event, or the first problem found. */
export function parseEventFields(raw: RawEventFields, times: EventTimeCheck): ChurnEvent | FieldProblem {
  const customerId = typeof raw.customer_id === 'number' ? String(raw.customer_id) : raw.customer_id;
  if (typeof customerId !== 'string' || customerId.trim() === '') {
    return { field: 'customer_id', message: 'expected a non-empty customer id' };
  }
  const ts = parseTimestamp(raw.ts);
  if (ts === undefined) {
    return { field: 'ts', message: `expected an ISO 8601 date/time or epoch milliseconds, got ${quoted(raw.ts ?? '')}` };
  }
  const refused = eventTimeProblem(ts, times.policy, times.nowMs);
  if (refused !== undefined) return { field: 'ts', message: refused };
  if (typeof raw.type !== 'string' || raw.type.trim() === '') {
    return { field: 'type', message: 'expected a non-empty event type (order, page_view, ...)' };
  }
  const event: ChurnEvent = { customerId: customerId.trim(), ts, type: raw.type.trim() };
  for (const field of ['value', 'quantity', 'rating'] as const) {
    const parsed = optionalNumber(raw[field], field);
    if (isProblem(parsed)) return parsed;
    if (parsed !== undefined) event[field] = parsed;
  }
  for (const field of ['category', 'channel'] as const) {
    const parsed = optionalText(raw[field], field);
    if (isProblem(parsed)) return parsed;
    if (parsed !== undefined) event[field] = parsed;
  }
  return event;
}

export { isProblem as isFieldProblem };
