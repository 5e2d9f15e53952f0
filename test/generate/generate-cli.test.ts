import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, runCli } from '../cli/run-cli.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('churnkit generate', () => {
  test('writes the event log and the ground truth, and summarises the run on stderr', () => {
    const run = runCli(['generate', '--customers', '200', '--days', '60', '--seed', '3', '--out', 'events.csv', '--truth', 'truth.csv'], dir);
    expect(run.stderr).toMatch(/^\d+ events, 200 customers \(\d+ churned\) in [\d.]+ s \(\d+ events\/s\) → events\.csv, truth\.csv\n$/);
    expect(run.status).toBe(0);
    const events = readFileSync(join(dir, 'events.csv'), 'utf8').split('\n');
    expect(events[0]).toBe('customer_id,ts,type,value,quantity,category,rating,channel');
    expect(events[1]).toMatch(/^C\d{6},2025-01-01T\d{2}:\d{2}:\d{2}Z,[a-z_]+,/);
    expect(readFileSync(join(dir, 'truth.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(201);
  });

  test('a bad option is a usage error (exit 2) naming the option, and nothing is written', () => {
    const run = runCli(['generate', '--customers', 'many', '--out', 'never.csv'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("option '--customers <n>' argument 'many' is invalid");
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  });

  test('an unwritable --out is one line on stderr naming the file (exit 1)', () => {
    const run = runCli(['generate', '--customers', '10', '--days', '5', '--out', 'no/such/folder/events.csv'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('churnkit: no/such/folder/events.csv: cannot write the output file for --out (its folder does not exist)\n');
  });
});
