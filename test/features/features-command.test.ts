import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerFeatures } from '../../src/cli/commands/features.js';
import { FEATURE_NAMES } from '../../src/features/feature-definitions.js';
import { InputError } from '../../src/errors.js';

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
    expect(table.header).toEqual(['customer_id', ...FEATURE_NAMES, 'churned']);
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
    expect(readTable(out).header).toEqual(['customer_id', ...FEATURE_NAMES]);
    expect(stderr).toContain('no labels');
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

  test('--strict stops at the first invalid row', async () => {
    const out = join(folder, 'strict.csv');
    await expect(runFeatures(['--events', log, '--as-of', '2024-01-31', '--horizon', '30d', '--strict', '--out', out])).rejects.toThrow(InputError);
    expect(existsSync(out)).toBe(false);
  });
});

const cdnow = join(process.cwd(), '..', 'shared', 'datasets', 'cdnow', 'CDNOW_master.txt');

describe.skipIf(!existsSync(cdnow))('churnkit features on CDNOW (skipped: ../shared/datasets/cdnow is absent)', () => {
  test('as-of 1997-09-30, 39 weeks: 23,570 customers, 70.1 % churned', async () => {
    const out = join(folder, 'cdnow.csv');
    const stderr = await runFeatures(['--events', cdnow, '--format', 'cdnow', '--as-of', '1997-09-30', '--horizon', '39w', '--out', out]);
    const { header, rows } = readTable(out);
    expect(rows).toHaveLength(23_570);
    const churned = rows.reduce((sum, row) => sum + Number(row[header.length - 1]), 0);
    expect(churned / rows.length).toBeCloseTo(0.701, 3);
    expect(stderr).toContain('23570 eligible customers, churn rate 70.06 %');
    const recency = header.indexOf('recency_days');
    expect(rows.find((row) => row[0] === '00001')![recency]).toBe('273');
  });
});
