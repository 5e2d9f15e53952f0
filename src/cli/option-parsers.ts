import { InvalidArgumentError } from 'commander';
import { parseTimestamp } from '../events/parse-event-fields.js';
import { parseAsOf, parseDuration } from '../features/churn-label.js';

/**
 * Parsers for numeric and time command-line options. They throw commander's
 * `InvalidArgumentError`, so a bad value is a usage error (exit code 2) with the
 * option named, caught before any file is read.
 */

/** A parser for whole numbers >= `min` (e.g. `integerAtLeast(2)` for fold counts). */
export function integerAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got "${text}"`);
    }
    return value;
  };
}

export const positiveInteger = integerAtLeast(1);

export function integer(text: string): number {
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  }
  return value;
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, got "${text}"`);
  }
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`expected a number >= 0, got "${text}"`);
  }
  return value;
}

/** A share such as a success rate: a number in [0, 1]. */
export function shareBetweenZeroAndOne(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`expected a number between 0 and 1, got "${text}"`);
  }
  return value;
}

/** A share that splits something in two parts, neither empty (a test share, a hold-out fraction): a number strictly between 0 and 1. */
export function shareStrictlyBetweenZeroAndOne(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError(`expected a number strictly between 0 and 1, got "${text}"`);
  }
  return value;
}

/** "64,32" → [64, 32]: hidden layer sizes, first to last. */
export function layerSizes(text: string): number[] {
  const parts = text.split(',');
  try {
    return parts.map((part) => positiveInteger(part.trim()));
  } catch {
    throw new InvalidArgumentError(`expected comma-separated layer sizes such as "64,32", got "${text}"`);
  }
}

/** Column names, comma-separated (`email,notes`); none may be empty. */
export function columnNames(text: string): string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new InvalidArgumentError(`expected comma-separated column names such as "email,notes", got "${text}"`);
  return names;
}

/** An event time, as the event logs write it: an ISO 8601 date or date-time, or epoch milliseconds. */
export function eventTime(text: string): number {
  const value = parseTimestamp(text);
  if (value === undefined) throw new InvalidArgumentError(`expected a date (1980-01-01), an ISO date-time or epoch milliseconds, got "${text}"`);
  return value;
}

/** A duration as the churn label takes it (90d, 39w, 12h, or 0), kept as written: a typo is a usage error before any file or store is read. */
export function duration(text: string): string {
  try {
    parseDuration(text, 'the duration');
  } catch {
    throw new InvalidArgumentError(`expected a duration like 90d, 39w or 12h, got "${text}"`);
  }
  return text;
}

/** Any time at all: the range an `--as-of` may take is the command's to check (against --earliest and now), its spelling is checked here. */
const ANY_TIME = { policy: { earliestMs: -Infinity, futureSkewMs: Infinity }, nowMs: 0 };

/** An `--as-of` day or date-time, kept as written: a typo (2025-02-30) is a usage error before any file is read. */
export function asOfTime(text: string): string {
  try {
    parseAsOf(text, ANY_TIME);
  } catch {
    throw new InvalidArgumentError(`expected a date (1997-09-30) or an ISO date-time (1997-09-30T12:00:00Z), got "${text}"`);
  }
  return text;
}
