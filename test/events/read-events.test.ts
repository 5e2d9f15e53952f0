import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readEvents, type EventFormat, type EventProblem } from '../../src/events/read-events.node.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { InputError } from '../../src/errors.js';

const folder = mkdtempSync(join(tmpdir(), 'churnkit-events-'));
let files = 0;
function logFile(text: string): string {
  const path = join(folder, `log-${files++}.txt`);
  writeFileSync(path, text);
  return path;
}

async function readAll(path: string, format: EventFormat, strict = false) {
  const events: ChurnEvent[] = [];
  const problems: EventProblem[] = [];
  for await (const event of readEvents(path, { format, strict, onInvalid: (problem) => problems.push(problem) })) events.push(event);
  return { events, problems };
}

describe('CSV event logs', () => {
  test('reads every column, in any order, with ISO or epoch-ms times and optional fields', async () => {
    const path = logFile(
      [
        'type,ts,customer_id,value,quantity,category,rating,channel',
        'order,2024-03-01T10:15:00Z,c1,49.90,2,books,,web',
        'review,1709288100000,c1,,,"books, used",4,app',
        'page_view,2024-03-01,c2,,,,,',
        'session_start,2024-03-01 08:00:00,c2,,,,,social',
      ].join('\n'),
    );
    const { events, problems } = await readAll(path, 'csv');
    expect(problems).toEqual([]);
    expect(events).toEqual([
      { customerId: 'c1', ts: Date.UTC(2024, 2, 1, 10, 15), type: 'order', value: 49.9, quantity: 2, category: 'books', channel: 'web' },
      { customerId: 'c1', ts: 1709288100000, type: 'review', category: 'books, used', rating: 4, channel: 'app' },
      { customerId: 'c2', ts: Date.UTC(2024, 2, 1), type: 'page_view' },
      { customerId: 'c2', ts: Date.UTC(2024, 2, 1, 8), type: 'session_start', channel: 'social' },
    ]);
  });

  test('keeps unknown event types', async () => {
    const { events } = await readAll(logFile('customer_id,ts,type\nc1,2024-01-01,wishlist_add\n'), 'csv');
    expect(events.map((event) => event.type)).toEqual(['wishlist_add']);
  });

  test('skips rows that break the schema and reports each with its line number', async () => {
    const path = logFile(
      [
        'customer_id,ts,type,value',
        'c1,2024-01-01,order,10',
        ',2024-01-01,order,10',
        'c1,yesterday,order,10',
        '',
        'c1,2024-01-02,,10',
        'c1,2024-01-02,order,ten',
        'c1,2024-01-02,order',
        'c1,"2024-01-02,order,1',
        'c1,2024-02-30,order,1',
        'c2,2024-01-03,order,5',
      ].join('\n'),
    );
    const { events, problems } = await readAll(path, 'csv');
    expect(events.map((event) => event.customerId)).toEqual(['c1', 'c2']);
    expect(problems.map((problem) => problem.line)).toEqual([3, 4, 6, 7, 8, 9, 10]);
    expect(problems[0]!.message).toMatch(/customer_id.*non-empty/);
    expect(problems[1]!.message).toMatch(/"ts".*ISO 8601.*epoch milliseconds.*yesterday/);
    expect(problems[3]!.message).toMatch(/"value".*finite number.*ten/);
    expect(problems[4]!.message).toMatch(/expected 4 fields/);
  });

  test('strict mode makes the first invalid row fatal, naming the file and line', async () => {
    const path = logFile('customer_id,ts,type\nc1,2024-01-01,order\nc1,not-a-date,order\nc1,also-bad,order\n');
    const failure = await readAll(path, 'csv', true).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).location).toMatchObject({ file: path, line: 3, field: 'ts' });
    expect((failure as InputError).message).toContain(`${path}, line 3, field "ts": expected an ISO 8601`);
  });

  test('a header without the required columns is always fatal', async () => {
    const path = logFile('customer,when,what\nc1,2024-01-01,order\n');
    await expect(readAll(path, 'csv')).rejects.toThrow(/line 1: the header lacks the column\(s\) customer_id, ts, type/);
  });

  test('a header naming a column twice is always fatal, naming the column (case and spaces aside, as columns are matched)', async () => {
    const path = logFile('customer_id,ts,type,note, Note\nc1,2024-01-01T00:00:00Z,order,a,b\n');
    await expect(readAll(path, 'csv')).rejects.toThrow(InputError);
    await expect(readAll(path, 'csv')).rejects.toMatchObject({ code: 'INPUT_HEADER_DUPLICATE' });
    await expect(readAll(path, 'csv')).rejects.toThrow(/line 1: header names "note" twice \(columns 4 and 5\); column names must be unique/);
  });

  test('a missing file is an InputError naming it', async () => {
    await expect(readAll(join(folder, 'absent.csv'), 'csv')).rejects.toThrow(/absent\.csv: cannot read the event log/);
  });
});

describe('JSON Lines event logs', () => {
  test('reads one object per line and reports broken lines by number', async () => {
    const path = logFile(
      [
        '{"customer_id":"c1","ts":"2024-01-01T00:00:00Z","type":"order","value":12.5,"quantity":1}',
        '{"customer_id":42,"ts":1704067200000,"type":"search","category":"toys"}',
        '{"customer_id":"c1","ts":"2024-01-01","type":"order"',
        '[1,2,3]',
        '{"customer_id":"c1","ts":"2024-01-01","type":"review","rating":"five"}',
        '{"customer_id":"c1","ts":"2024-01-02","type":"review","rating":5}',
      ].join('\n'),
    );
    const { events, problems } = await readAll(path, 'jsonl');
    expect(events).toEqual([
      { customerId: 'c1', ts: Date.UTC(2024, 0, 1), type: 'order', value: 12.5, quantity: 1 },
      { customerId: '42', ts: Date.UTC(2024, 0, 1), type: 'search', category: 'toys' },
      { customerId: 'c1', ts: Date.UTC(2024, 0, 2), type: 'review', rating: 5 },
    ]);
    expect(problems.map((problem) => problem.line)).toEqual([3, 4, 5]);
    expect(problems[2]!.message).toMatch(/"rating".*finite number.*five/);
  });

  test('refuses a number beyond ±1e12 in every format, naming the field: two of 1e308 would sum to Infinity', async () => {
    const csv = logFile('customer_id,ts,type,value,quantity\nc1,2024-01-01,order,1e308,1\nc1,2024-01-02,order,20,-2e12\nc1,2024-01-03,order,1e12,3\n');
    const fromCsv = await readAll(csv, 'csv');
    expect(fromCsv.events).toEqual([{ customerId: 'c1', ts: Date.UTC(2024, 0, 3), type: 'order', value: 1e12, quantity: 3 }]);
    expect(fromCsv.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/"value".*within ±1e\+12.*1e308/),
      expect.stringMatching(/"quantity".*within ±1e\+12.*-2e12/),
    ]);
    const jsonl = logFile('{"customer_id":"c1","ts":"2024-01-01","type":"review","rating":1e300}\n');
    expect((await readAll(jsonl, 'jsonl')).problems[0]!.message).toMatch(/"rating".*within ±1e\+12/);
    const cdnow = logFile(' 00004 0001 19970101  2   1e308\n');
    expect((await readAll(cdnow, 'cdnow')).problems[0]!.message).toMatch(/"?dollar_value"?.*within ±1e\+12/);
  });
});

describe('CDNOW logs', () => {
  test('reads the master layout (header, 4 columns) and the sample layout (5 columns) as orders at 00:00 UTC', async () => {
    const master = logFile(' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  5   77.00\n');
    const sample = logFile(' 00004 0001 19970101  2   29.33\n 00004 0001 19971212  2   26.48\n');
    expect((await readAll(master, 'cdnow')).events).toEqual([
      { customerId: '00001', ts: Date.UTC(1997, 0, 1), type: 'order', value: 11.77, quantity: 1 },
      { customerId: '00002', ts: Date.UTC(1997, 0, 12), type: 'order', value: 77, quantity: 5 },
    ]);
    expect((await readAll(sample, 'cdnow')).events).toEqual([
      { customerId: '00004', ts: Date.UTC(1997, 0, 1), type: 'order', value: 29.33, quantity: 2 },
      { customerId: '00004', ts: Date.UTC(1997, 11, 12), type: 'order', value: 26.48, quantity: 2 },
    ]);
  });

  test('reports malformed records with their line numbers', async () => {
    const path = logFile(' 00001 19970101 1 11.77\n 00001 19970231 1 11.77\n 00001 1997 1\n 00001 19970101 x 1\n');
    const { events, problems } = await readAll(path, 'cdnow');
    expect(events).toHaveLength(1);
    expect(problems).toEqual([
      { line: 2, message: 'field "date": expected a date as YYYYMMDD, got "19970231"' },
      { line: 3, message: 'field "columns": expected 4 columns (customer_id date cds dollars) or 5 (customer_id index date cds dollars), got 3' },
      { line: 4, message: 'field "number_of_cds": expected a number, got "x"' },
    ]);
  });
});

describe('event times outside the policy (docs/events.md, "Event times")', () => {
  const nextYear = new Date().getUTCFullYear() + 1;
  const microseconds = Date.UTC(2024, 0, 2) * 1000;

  test.each([
    ['csv', `customer_id,ts,type\nc1,2024-01-01,order\nc1,${nextYear}-03-01,order\nc1,${microseconds},order\nc1,1900-01-01,order\nc1,2024-01-03,order\n`],
    [
      'jsonl',
      [
        '{"customer_id":"c1","ts":"2024-01-01","type":"order"}',
        `{"customer_id":"c1","ts":"${nextYear}-03-01","type":"order"}`,
        `{"customer_id":"c1","ts":${microseconds},"type":"order"}`,
        '{"customer_id":"c1","ts":"1900-01-01","type":"order"}',
        '{"customer_id":"c1","ts":"2024-01-03","type":"order"}',
      ].join('\n'),
    ],
  ] as const)('%s: a future, a microsecond and a 1900 time are invalid rows naming "ts"', async (format, text) => {
    const { events, problems } = await readAll(logFile(text), format);
    expect(events.map((event) => event.ts)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3)]);
    expect(problems.map((problem) => problem.line)).toEqual(format === 'csv' ? [3, 4, 5] : [2, 3, 4]);
    expect(problems[0]!.message).toMatch(/^field "ts": .* is after .*an event cannot come from the future$/);
    expect(problems[1]!.message).toMatch(/^field "ts": .*looks like microseconds since the epoch: divide by 1,000$/);
    expect(problems[2]!.message).toMatch(/^field "ts": .* is before 1990-01-01T00:00:00\.000Z/);
  });

  test('strict mode refuses the first one with an InputError naming the file, line and field', async () => {
    const path = logFile(`customer_id,ts,type\nc1,2024-01-01,order\nc1,${nextYear}-03-01,order\n`);
    const failure = await readAll(path, 'csv', true).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).location).toEqual({ file: path, line: 3, field: 'ts' });
    expect((failure as InputError).message).toMatch(new RegExp(`^${path}, line 3, field "ts": \\d+ \\(${nextYear}-03-01T00:00:00\\.000Z\\) is after`));
  });

  test('CDNOW: a record dated after today is refused on field "date"', async () => {
    const { events, problems } = await readAll(logFile(` 00001 19970101 1 11.77\n 00001 ${nextYear}0101 1 11.77\n`), 'cdnow');
    expect(events).toHaveLength(1);
    expect(problems).toEqual([{ line: 2, message: expect.stringMatching(/^field "date": .* is after/) }]);
  });

  test('the "earliest" option lets older records in', async () => {
    const path = logFile('customer_id,ts,type\nc1,1985-06-01,order\n');
    expect((await readAll(path, 'csv')).events).toEqual([]);
    const events: ChurnEvent[] = [];
    for await (const event of readEvents(path, { format: 'csv', strict: true, eventTimes: { earliestMs: Date.UTC(1980, 0, 1) } })) events.push(event);
    expect(events.map((event) => event.ts)).toEqual([Date.UTC(1985, 5, 1)]);
  });
});
