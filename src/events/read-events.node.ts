import { createReadStream } from 'node:fs';
import { excerpt, InputError } from '../errors.js';
import type { ChurnEvent } from './types.js';
import { isFieldProblem, parseEventFields, type FieldProblem, type RawEventFields } from './parse-event-fields.js';
import { splitCsvLine } from './split-csv-line.js';
import { isCdnowHeader, parseCdnowLine } from './parse-cdnow-line.js';
import { resolveEventTimePolicy, type EventTimeCheck, type EventTimePolicyOptions } from './event-time-policy.js';

/** The event log formats `readEvents` understands (see docs/events.md). */
export type EventFormat = 'csv' | 'jsonl' | 'cdnow';

export const EVENT_FORMATS: readonly EventFormat[] = ['csv', 'jsonl', 'cdnow'];

/** A row that breaks the schema: its 1-based line in the file and what was wrong. */
export interface EventProblem {
  line: number;
  message: string;
}

export interface ReadEventsOptions {
  format: EventFormat;
  /** Make the first invalid row fatal (an `InputError` naming the file and line). Default false. */
  strict?: boolean;
  /** Called for every invalid row that is skipped (not called in strict mode: the row throws). */
  onInvalid?(problem: EventProblem): void;
  /**
   * Which event times are accepted (docs/events.md, "Event times"): by default none after the
   * moment reading starts plus 5 minutes, none before 1990-01-01. A refused time is an invalid
   * row, reported with its line and field like any other.
   */
  eventTimes?: EventTimePolicyOptions;
  /** Called after each read buffer (about 1 MB) with the bytes of the file read so far: progress. */
  onProgress?(bytesRead: number): void;
}

const CSV_COLUMNS = ['customer_id', 'ts', 'type', 'value', 'quantity', 'category', 'rating', 'channel'] as const;
const REQUIRED_CSV_COLUMNS = ['customer_id', 'ts', 'type'];

/**
 * Streams the events of a log file, one line at a time (the file is never held in memory).
 * Invalid rows (a broken schema, or a time the event-time policy refuses: from the future, or
 * before 1990) are skipped and reported through `onInvalid` with their line numbers, or, with
 * `strict`, the first one throws. A missing file, or a CSV header without the required
 * columns, always throws.
 *
 * @example
 * ```ts
 * for await (const event of readEvents('events.csv', { format: 'csv', onInvalid: (p) => console.warn(p) })) {
 *   console.log(event.customerId, new Date(event.ts).toISOString(), event.type);
 * }
 * ```
 */
export async function* readEvents(path: string, options: ReadEventsOptions): AsyncIterable<ChurnEvent> {
  for await (const batch of readEventBatches(path, options)) yield* batch;
}

/**
 * `readEvents` a chunk of lines at a time: the same events, problems and errors, with one
 * await per batch instead of one per event (what bulk consumers such as the batch feature
 * pipeline use: on millions of events the per-event promise is a large share of the time).
 *
 * @example
 * ```ts
 * for await (const events of readEventBatches('events.csv', { format: 'csv' })) total += events.length;
 * ```
 */
export async function* readEventBatches(path: string, options: ReadEventsOptions): AsyncIterable<ChurnEvent[]> {
  if (!EVENT_FORMATS.includes(options.format)) {
    throw new InputError('EVENTS_FORMAT', `unknown event format "${String(options.format)}", expected one of ${EVENT_FORMATS.join(', ')}`, { file: path });
  }
  // "Now" is when reading starts: an export cannot hold events from after it is read.
  const times: EventTimeCheck = { policy: resolveEventTimePolicy(options.eventTimes), nowMs: Date.now() };
  const parseLine =
    options.format === 'csv' ? csvLineParser(path, times) : options.format === 'jsonl' ? jsonLineParser(times) : cdnowLineParser(times);
  let lineNumber = 0;
  for await (const lines of readLineChunks(path, options.onProgress)) {
    const events: ChurnEvent[] = [];
    for (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const parsed = parseLine(line, lineNumber);
      if (parsed === null) continue;
      if (isFieldProblem(parsed)) {
        if (options.strict) {
          throw new InputError('EVENTS_INVALID_ROW', parsed.message, { file: path, line: lineNumber, field: parsed.field });
        }
        options.onInvalid?.({ line: lineNumber, message: `field "${parsed.field}": ${parsed.message}` });
        continue;
      }
      events.push(parsed);
    }
    if (events.length > 0) yield events;
  }
}

/** A line parser: an event, a problem, or null for a line that carries no event (a header). */
type LineParser = (line: string, lineNumber: number) => ChurnEvent | FieldProblem | null;

/** The file's lines, a read buffer at a time (LF or CRLF endings; the last line may lack one). */
async function* readLineChunks(path: string, onProgress?: (bytesRead: number) => void): AsyncIterable<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let pending = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      onProgress?.(stream.bytesRead);
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      yield lines.map(withoutCarriageReturn);
    }
  } catch (error) {
    throw new InputError('EVENTS_UNREADABLE', `cannot read the event log (${(error as Error).message})`, { file: path }, { cause: error });
  }
  if (pending !== '') yield [withoutCarriageReturn(pending)];
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function csvLineParser(path: string, times: EventTimeCheck): LineParser {
  let columnIndex: Map<string, number> | undefined;
  return (line, lineNumber) => {
    if (columnIndex === undefined) {
      const fields = splitCsvLine(line.replace(/^\uFEFF/, ''));
      columnIndex = new Map();
      for (const [index, raw] of (fields ?? []).entries()) {
        const name = raw.trim().toLowerCase();
        const first = columnIndex.get(name);
        // A repeated name would leave the header one column short of every row: each row would
        // be refused for its field count, and the name at fault never said.
        if (first !== undefined) {
          throw new InputError(
            'INPUT_HEADER_DUPLICATE',
            `header names "${excerpt(name)}" twice (columns ${first + 1} and ${index + 1}); column names must be unique`,
            { file: path, line: lineNumber },
          );
        }
        columnIndex.set(name, index);
      }
      const missing = REQUIRED_CSV_COLUMNS.filter((name) => !columnIndex!.has(name));
      if (missing.length > 0) {
        throw new InputError(
          'EVENTS_HEADER',
          `the header lacks the column(s) ${missing.join(', ')}; expected ${CSV_COLUMNS.join(',')} (value..channel optional)`,
          { file: path, line: lineNumber },
        );
      }
      return null;
    }
    const fields = splitCsvLine(line);
    if (fields === undefined) return { field: 'line', message: 'a quoted field is not closed on this line' };
    if (fields.length !== columnIndex.size) {
      return { field: 'line', message: `expected ${columnIndex.size} fields like the header, got ${fields.length}` };
    }
    const raw: Record<string, string | undefined> = {};
    for (const name of CSV_COLUMNS) {
      const index = columnIndex.get(name);
      if (index !== undefined) raw[name] = fields[index];
    }
    return parseEventFields(raw as RawEventFields, times);
  };
}

function jsonLineParser(times: EventTimeCheck): LineParser {
  return (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { field: 'line', message: 'expected one JSON object per line, the line is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { field: 'line', message: 'expected a JSON object ({"customer_id": ..., "ts": ..., "type": ...})' };
    }
    return parseEventFields(parsed as RawEventFields, times);
  };
}

function cdnowLineParser(times: EventTimeCheck): LineParser {
  return (line, lineNumber) => (lineNumber === 1 && isCdnowHeader(line) ? null : parseCdnowLine(line, times));
}
