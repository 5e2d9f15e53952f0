/**
 * Fuzzing the readers users feed their exports to: the CSV, JSON Lines and CDNOW event readers
 * (streamed from real files) and the CSV table reader of `train`/`predict`. The logs mix valid
 * rows with hostile cells — times from the future, in microseconds or seconds, impossible dates,
 * huge numbers, quotes, commas, CRLF, BOM, blank and very long lines. Properties: nothing but
 * typed errors; every event that comes out obeys the schema and the event-time policy; and
 * nothing is lost silently: every non-blank line is an event, a reported problem or the header.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/data/parse-csv-text.node.js';
import { InputError } from '../../src/errors.js';
import { DEFAULT_EARLIEST_EVENT_MS, DEFAULT_FUTURE_SKEW_MS } from '../../src/events/event-time-policy.js';
import { readEvents, type EventFormat, type EventProblem } from '../../src/events/read-events.node.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { cases, expectTypedError, fuzz, reportTallies } from './fuzz.js';

const folder = mkdtempSync(join(tmpdir(), 'churnkit-fuzz-readers-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  reportTallies();
});

const NOW = Date.now();
const timeCell = fc.oneof(
  fc.integer({ min: Date.UTC(1995, 0, 1), max: NOW }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: Date.UTC(1995, 0, 1), max: NOW }).map(String),
  fc.integer({ min: Date.UTC(1995, 0, 1), max: NOW }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
  fc.constantFrom('1e20', String(NOW * 1000), String(Math.floor(NOW / 1000)), '2099-01-01', '1900-01-01', '0', '-1', '2024-02-30', '24:00', 'yesterday', '', ' ', '2024-13-01T00:00:00Z'),
  fc.integer({ min: -1e15, max: 1e17 }).map(String),
  fc.string({ maxLength: 30 }),
);
const numberCell = fc.oneof(fc.double().map(String), fc.constantFrom('', '1e308', '-1e308', '1e400', 'NaN', 'Infinity', '12', '0.5', 'ten'), fc.string({ maxLength: 12 }));
// Now and then a cell of 5,000 to 20,000 characters: a long line must cost no more than its length.
const textCell = fc.oneof(
  { arbitrary: fc.constantFrom('c1', 'c2', '', ' ', 'order', 'page_view', 'web', 'app', 'a,b', 'say "hi"', '\uFEFFid'), weight: 10 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 10 },
  { arbitrary: fc.integer({ min: 5_000, max: 20_000 }).map((length) => 'x'.repeat(length)), weight: 1 },
);
const row = fc.record({ customer_id: textCell, ts: timeCell, type: textCell, value: numberCell, quantity: numberCell, category: textCell, rating: numberCell, channel: textCell });
const COLUMNS = ['customer_id', 'ts', 'type', 'value', 'quantity', 'category', 'rating', 'channel'] as const;

function csvCell(text: string, quote: boolean): string {
  return quote || /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A log as the arbitrary lays it out: lines (some blank), LF or CRLF, maybe a BOM, maybe no final newline. */
const layout = fc.record({ crlf: fc.boolean(), bom: fc.boolean(), finalNewline: fc.boolean(), blankEvery: fc.integer({ min: 0, max: 7 }) });

function joinLines(lines: string[], { crlf, bom, finalNewline, blankEvery }: { crlf: boolean; bom: boolean; finalNewline: boolean; blankEvery: number }): string {
  const withBlanks = lines.flatMap((line, index) => (blankEvery > 0 && index % blankEvery === blankEvery - 1 ? [line, ''] : [line]));
  const text = withBlanks.join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');
  return bom ? `\uFEFF${text}` : text;
}

const csvLog = fc
  .record({ rows: fc.array(fc.tuple(row, fc.boolean()), { maxLength: 60 }), columns: fc.shuffledSubarray([...COLUMNS], { minLength: 3 }), layout })
  .map(({ rows, columns, layout: how }) => joinLines([columns.join(','), ...rows.map(([one, quote]) => columns.map((column) => csvCell(one[column], quote)).join(','))], how));

const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.constantFrom(1e20, NOW * 1000, -1, 0));
const jsonLog = fc
  .record({ rows: fc.array(fc.oneof(row.map((one) => JSON.stringify(one)), fc.record({ customer_id: jsonValue, ts: fc.oneof(jsonValue, timeCell), type: jsonValue, value: jsonValue }).map((one) => JSON.stringify(one)), fc.string({ maxLength: 40 })), { maxLength: 60 }), layout })
  .map(({ rows, layout: how }) => joinLines(rows, how));

const compactDate = fc.oneof(fc.integer({ min: Date.UTC(1995, 0, 1), max: NOW }).map((ms) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')), fc.constantFrom('19970101', '20990101', '18991231', '19970231', '1997', 'x'));
const cdnowLog = fc
  .record({
    header: fc.boolean(),
    rows: fc.array(fc.tuple(fc.stringMatching(/^[0-9]{1,5}$/), fc.option(fc.stringMatching(/^[0-9]{1,4}$/)), compactDate, numberCell, numberCell, fc.constantFrom(' ', '  ', '\t')), { maxLength: 60 }),
    layout,
  })
  .map(({ header, rows, layout: how }) =>
    joinLines([...(header ? [' customer_id  date number_of_cds  dollar_value'] : []), ...rows.map(([id, index, date, cds, dollars, gap]) => [id, ...(index === null ? [] : [index]), date, cds || '1', dollars || '1'].join(gap))], how),
  );

let fileNumber = 0;
async function read(text: string, format: EventFormat, strict: boolean) {
  const path = join(folder, `log-${fileNumber++}.txt`);
  writeFileSync(path, text);
  const started = Date.now();
  const events: ChurnEvent[] = [];
  const problems: EventProblem[] = [];
  try {
    for await (const event of readEvents(path, { format, strict, onInvalid: (problem) => problems.push(problem) })) events.push(event);
    return { events, problems, started, error: undefined as unknown };
  } catch (error) {
    return { events, problems, started, error };
  } finally {
    rmSync(path, { force: true });
  }
}

function expectValidEvent(event: ChurnEvent, startedMs: number): void {
  const ok =
    typeof event.customerId === 'string' && event.customerId.trim() === event.customerId && event.customerId !== '' &&
    typeof event.type === 'string' && event.type !== '' &&
    event.ts >= DEFAULT_EARLIEST_EVENT_MS && event.ts <= Date.now() + DEFAULT_FUTURE_SKEW_MS && event.ts <= startedMs + DEFAULT_FUTURE_SKEW_MS + 60_000 &&
    [event.value, event.quantity, event.rating].every((number) => number === undefined || Number.isFinite(number));
  if (!ok) expect.fail(`an event broke the schema or the time policy: ${JSON.stringify(event)}`);
}

/** Non-blank lines of the text as the reader numbers them (LF-separated, CR stripped). */
function nonBlankLines(text: string): number[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.flatMap((line, index) => (line.replace(/\r$/, '').trim() === '' ? [] : [index + 1]));
}

async function checkLog(text: string, format: EventFormat): Promise<void> {
  const lenient = await read(text, format, false);
  if (lenient.error !== undefined) {
    expectTypedError(lenient.error);
    // Only the CSV header can make a lenient read fail.
    expect((lenient.error as InputError).code).toBe('EVENTS_HEADER');
    return;
  }
  for (const event of lenient.events) expectValidEvent(event, lenient.started);
  const lines = nonBlankLines(text);
  const firstLine = text.replace(/^\uFEFF/, '').split('\n')[0]!;
  const headerLines = format === 'csv' ? 1 : format === 'cdnow' && /^\s*customer_id\b/i.test(firstLine) ? 1 : 0;
  // Nothing lost silently: every non-blank line is the header, an event or a reported problem.
  expect(lenient.events.length + lenient.problems.length).toBe(lines.length - headerLines);
  const problemLines = lenient.problems.map((problem) => problem.line);
  expect(problemLines.every((line, index) => lines.includes(line) && (index === 0 || line > problemLines[index - 1]!))).toBe(true);

  const strict = await read(text, format, true);
  if (lenient.problems.length === 0) {
    expect(strict.error).toBeUndefined();
    expect(strict.events).toEqual(lenient.events);
  } else {
    expect(strict.error).toBeInstanceOf(InputError);
    expect((strict.error as InputError).location.line).toBe(lenient.problems[0]!.line);
  }
}

describe('fuzz: the readers', () => {
  it(`CSV event logs: typed errors only, valid events only, every line accounted for, lenient and strict agree (${cases(500)} cases)`, async () => {
    await fuzz('CSV event reader', 500, [csvLog], (text) => checkLog(text, 'csv'));
  });

  it(`JSON Lines event logs: the same properties (${cases(500)} cases)`, async () => {
    await fuzz('JSON Lines event reader', 500, [jsonLog], (text) => checkLog(text, 'jsonl'));
  });

  it(`CDNOW logs: the same properties (${cases(700)} cases)`, async () => {
    await fuzz('CDNOW reader', 700, [cdnowLog], (text) => checkLog(text, 'cdnow'));
  });

  it(`the CSV table reader (train, predict): a table of finite numbers and text, or an InputError (${cases(1_000)} cases)`, async () => {
    const cell = fc.oneof(numberCell, textCell, fc.constantFrom('"', '""', '"a\nb"', 'NA', 'null', '\r'));
    const table = fc
      .record({ header: fc.array(fc.oneof(fc.constantFrom('id', 'Tenure', 'Churn', '', '__proto__', 'constructor'), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 6 }), rows: fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 30 }), layout, numeric: fc.boolean() })
      .map(({ header, rows, layout: how, numeric }) => ({ text: joinLines([header.join(','), ...rows.map((cells) => cells.join(','))], how), numeric, header }));
    await fuzz('CSV table reader', 1_000, [table], ({ text, numeric, header }) => {
      let parsed;
      try {
        parsed = parseCsvText(text, 'fuzz.csv', numeric ? { kinds: new Map(header.map((name) => [name.trim(), 'numeric' as const])) } : {});
      } catch (error) {
        expectTypedError(error);
        return;
      }
      expect(parsed.records).toHaveLength(parsed.lines.length);
      for (const record of parsed.records) {
        for (const column of parsed.columns) {
          const value = record[column];
          const ok = value === null || (parsed.kinds.get(column) === 'numeric' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string');
          if (!ok) expect.fail(`column ${column} (${parsed.kinds.get(column)}) holds ${String(value)}`);
        }
      }
    });
  });
});
