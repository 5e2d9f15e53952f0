import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerFeatures } from '../../src/cli/commands/features.js';
import { FEATURE_NAMES } from '../../src/features/feature-definitions.js';
import { MIN_HABIT_DAYS } from '../../src/features/usual-time-columns.js';
import { InputError } from '../../src/errors.js';
import { sharedDataset } from '../support/requirement.js';

const folder = mkdtempSync(join(tmpdir(), 'churnkit-features-'));

async function runFeatures(args: string[]): Promise<string> {
  const program = new Command('churnkit').exitOverride();
  registerFeatures(program);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'churnkit', 'features', ...args]);
    return stderr.mock.calls.map((call) => String(call[0])).join('');
  } finally {
    stderr.mockRestore();
  }
}

const USUAL_HOUR = ['hour_sin', 'hour_cos'];
const USUAL_TIME = [...USUAL_HOUR, 'weekday_sin', 'weekday_cos'];
const without = (left: string[]) => FEATURE_NAMES.filter((name) => !left.includes(name));

function readTable(path: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','));
  return { header: header!, rows };
}

afterEach(() => vi.restoreAllMocks());

describe('churnkit features', () => {
  const log = join(folder, 'events.csv');
  writeFileSync(
    log,
    [
      'customer_id,ts,type,value',
      'a,2024-01-05T10:00:00Z,order,20',
      'b,2024-01-06T10:00:00Z,page_view,',
      'a,2024-01-07T10:00:00Z,order,oops',
      'a,2024-02-03T10:00:00Z,order,30',
      'c,2024-03-30T10:00:00Z,order,5',
    ].join('\n'),
  );

  test('writes customer_id, the features and churned, and reports population, churn rate and skipped rows', async () => {
    const out = join(folder, 'features.csv');
    const stderr = await runFeatures(['--events', log, '--as-of', '2024-01-31', '--horizon', '30d', '--out', out]);
    const table = readTable(out);
    // Each customer was seen on one day: no usual hour or weekday to tell.
    expect(table.header).toEqual(['customer_id', ...without(USUAL_TIME), 'churned']);
    expect(stderr).toContain('left out hour_sin, hour_cos, weekday_sin, weekday_cos: the median customer was active on 1 distinct day before the cut-off; a usual hour or weekday needs 3');
    expect(table.rows.map((row) => [row[0], row[row.length - 1]])).toEqual([
      ['a', '0'],
      ['b', '1'],
    ]);
    expect(stderr).toContain('line 4: skipped: field "value"');
    expect(stderr).toContain('4 events, 2 eligible customers, churn rate 50.00 % (1 churned');
    expect(readdirSync(folder).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  test('leaves the label out when the log ends before the label window does', async () => {
    const out = join(folder, 'unlabelled.csv');
    const stderr = await runFeatures(['--events', log, '--as-of', '2024-03-01', '--horizon', '90d', '--out', out]);
    expect(readTable(out).header).toEqual(['customer_id', ...without(USUAL_TIME)]);
    expect(stderr).toContain('no labels');
  });

  test(`keeps every feature when the median customer was seen on ${MIN_HABIT_DAYS} days or more, at different hours`, async () => {
    const habits = join(folder, 'habits.csv');
    const days = Array.from({ length: MIN_HABIT_DAYS }, (_, day) => `2024-01-${String(10 + day).padStart(2, '0')}`);
    const events = ['a', 'b', 'c'].flatMap((customer, index) => days.map((day) => `${customer},${day}T${String(8 + index).padStart(2, '0')}:00:00Z,session_start`));
    writeFileSync(habits, ['customer_id,ts,type', ...events].join('\n'));
    const out = join(folder, 'habits.features.csv');
    const stderr = await runFeatures(['--events', habits, '--as-of', '2024-01-31', '--horizon', '30d', '--out', out]);
    expect(readTable(out).header).toEqual(['customer_id', ...FEATURE_NAMES]);
    expect(stderr).not.toContain('left out');
  });

  test('leaves out the usual hour of a log stamped by date, and keeps the weekday', async () => {
    const dated = join(folder, 'dated.csv');
    const days = ['2024-01-10', '2024-01-13', '2024-01-16', '2024-01-20'];
    writeFileSync(dated, ['customer_id,ts,type,value', ...['a', 'b'].flatMap((customer) => days.map((day) => `${customer},${day},order,10`))].join('\n'));
    const out = join(folder, 'dated.features.csv');
    const stderr = await runFeatures(['--events', dated, '--as-of', '2024-01-31', '--horizon', '30d', '--out', out]);
    expect(readTable(out).header).toEqual(['customer_id', ...without(USUAL_HOUR)]);
    expect(stderr).toContain('left out hour_sin, hour_cos: every event before the cut-off falls at the same hour of the day (as in a log stamped by date)');
  });

  test('refuses events from the future and before --earliest, and an --as-of after today', async () => {
    const microseconds = Date.UTC(2024, 0, 20) * 1000;
    const odd = join(folder, 'odd-times.csv');
    writeFileSync(odd, `customer_id,ts,type\na,2024-01-05T10:00:00Z,order\na,${microseconds},order\nb,1985-06-01,order\n`);
    const out = join(folder, 'odd.csv');
    const stderr = await runFeatures(['--events', odd, '--as-of', '2024-01-31', '--horizon', '30d', '--out', out]);
    expect(stderr).toContain('line 3: skipped: field "ts": 1705708800000000 (+056021-10-05T00:00:00.000Z) is after');
    expect(stderr).toContain('looks like microseconds since the epoch: divide by 1,000');
    expect(stderr).toContain('line 4: skipped: field "ts": 486432000000 (1985-06-01T00:00:00.000Z) is before 1990-01-01');
    expect(readTable(out).rows.map((row) => row[0])).toEqual(['a']);

    await runFeatures(['--events', odd, '--as-of', '2024-01-31', '--horizon', '30d', '--earliest', '1980-01-01', '--out', out]);
    expect(readTable(out).rows.map((row) => row[0])).toEqual(['a', 'b']);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await expect(runFeatures(['--events', odd, '--as-of', tomorrow, '--horizon', '30d', '--out', out])).rejects.toThrow(/is in the future/);
  });

  test('refuses a 0-byte log, a header alone and a log of only invalid rows, writing nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['empty.csv', '', /empty\.csv: the event log is empty: expected a header line \(customer_id,ts,type,\.\.\.\), then one event per line/],
      ['header.csv', 'customer_id,ts,type\n', /header\.csv: no events to compute features from: the file holds no event rows/],
      ['invalid.csv', 'customer_id,ts,type\na,not-a-time,order\n', /invalid\.csv: no events to compute features from: all 1 rows are invalid/],
      ['empty.jsonl', '', /empty\.jsonl: the event log is empty: expected one event per line/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(folder, name), content);
      const out = join(folder, `${name}.features.csv`);
      const format = name.endsWith('.jsonl') ? 'jsonl' : 'csv';
      const refused = runFeatures(['--events', join(folder, name), '--format', format, '--as-of', '2024-01-31', '--horizon', '30d', '--out', out]);
      await expect(refused, name).rejects.toThrow(InputError);
      await expect(refused, name).rejects.toThrow(message);
      expect(existsSync(out), name).toBe(false);
    }
  });

  test('refuses a cut-off before every event (no customer to describe), naming the first event, writing nothing', async () => {
    const out = join(folder, 'too-early.features.csv');
    const refused = runFeatures(['--events', log, '--as-of', '2023-12-31', '--horizon', '30d', '--out', out]);
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(
      /events\.csv: no customer has an event before the cut-off 2024-01-01T00:00:00\.000Z \(the log's first event is at 2024-01-05T10:00:00\.000Z\): choose a later --as-of/,
    );
    expect(existsSync(out)).toBe(false);
  });

  test('--strict stops at the first invalid row', async () => {
    const out = join(folder, 'strict.csv');
    await expect(runFeatures(['--events', log, '--as-of', '2024-01-31', '--horizon', '30d', '--strict', '--out', out])).rejects.toThrow(InputError);
    expect(existsSync(out)).toBe(false);
  });
});

const master = sharedDataset('cdnow', 'CDNOW_master.txt');
const cdnow = master.path;

describe.skipIf(!master.met)(master.title('churnkit features on CDNOW'), () => {
  test('as-of 1997-09-30, 39 weeks: 23,570 customers, 70.1 % churned', async () => {
    const out = join(folder, 'cdnow.csv');
    const stderr = await runFeatures(['--events', cdnow, '--format', 'cdnow', '--as-of', '1997-09-30', '--horizon', '39w', '--out', out]);
    const { header, rows } = readTable(out);
    expect(rows).toHaveLength(23_570);
    const churned = rows.reduce((sum, row) => sum + Number(row[header.length - 1]), 0);
    expect(churned / rows.length).toBeCloseTo(0.701, 3);
    expect(stderr).toContain('23570 eligible customers, churn rate 70.06 %');
    // Dates only, and most customers bought on a single day before the cut-off.
    expect(header).toEqual(['customer_id', ...without(USUAL_TIME), 'churned']);
    expect(stderr).toContain('left out hour_sin, hour_cos, weekday_sin, weekday_cos: the median customer was active on 1 distinct day');
    const recency = header.indexOf('recency_days');
    expect(rows.find((row) => row[0] === '00001')![recency]).toBe('273');
  });
});
