import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCli, writeCustomers } from './run-cli.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('churnkit report', () => {
  beforeAll(() => {
    writeCustomers(join(dir, 'train.csv'), 400);
    writeCustomers(join(dir, 'test.csv'), 200);
    const trained = runCli(['train', '--data', 'train.csv', '--target', 'Churn', '--id', 'CustomerID', '--epochs', '15', '--out', 'model.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
  });

  it('writes one HTML page and says what it holds', () => {
    const run = runCli(['report', '--model', 'model.json', '--data', 'test.csv', '--segment', 'Plan', '--segment', 'Tenure', '--out', 'report.html'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wrote report\.html: 200 customers, ROC AUC 0\.\d{4}, PR AUC 0\.\d{4}; importance from 200 rows\n$/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('By Plan');
    expect(html).toContain('By Tenure (quintile ranges)');
    expect(html).toContain('Cost of the action per contacted customer</dt><dd>10</dd>');
  });

  it('--json gives the same metrics as churnkit eval --json, field for field, for the same economics', () => {
    const economics = ['--action-cost', '5', '--retained-value', '80', '--success-rate', '0.4'];
    const report = runCli(['report', '--model', 'model.json', '--data', 'test.csv', '--json', ...economics], dir);
    const evaluation = runCli(['eval', '--model', 'model.json', '--data', 'test.csv', '--json', ...economics], dir);
    expect(report.status, report.stderr).toBe(0);
    expect(evaluation.status, evaluation.stderr).toBe(0);
    const data = JSON.parse(report.stdout);
    expect(data.metrics).toEqual(JSON.parse(evaluation.stdout));
    expect(data.metrics.profit).toMatchObject({ actionCost: 5, retainedValue: 80, successRate: 0.4 });
    expect(Object.keys(data.curves).sort()).toEqual(['gain', 'histogram', 'precisionRecall', 'profit', 'roc']);
    expect(data.importance.columns.map((column: { feature: string }) => column.feature).sort()).toEqual(['Complain', 'Plan', 'Spend', 'Tenure']);
  });

  it('with --json and --out, keeps stdout pure JSON and writes the page', () => {
    const run = runCli(['report', '--model', 'model.json', '--data', 'test.csv', '--json', '--out', 'both.html'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toContain('wrote both.html');
    expect(existsSync(join(dir, 'both.html'))).toBe(true);
  });

  it('samples the explained rows when asked, and says so', () => {
    const run = runCli(['report', '--model', 'model.json', '--data', 'test.csv', '--explain-rows', '50', '--seed', '3', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).importance).toMatchObject({ rowsExplained: 50, rowsTotal: 200, seed: 3 });
  });

  it.each([
    [['--model', 'model.json', '--data', 'test.csv'], 2, /give --out <html> to write the report, --json to print its numbers, or both/],
    [['--model', 'model.json', '--data', 'test.csv', '--out', 'x.html', '--success-rate', '1.5'], 2, /option '--success-rate <share>' argument '1.5' is invalid/],
    [['--model', 'model.json', '--data', 'test.csv', '--out', 'x.html', '--explain-rows', '0'], 2, /option '--explain-rows <n>' argument '0' is invalid/],
    [['--model', 'model.json', '--data', 'test.csv', '--out', 'x.html', '--segment', 'Region'], 1, /test\.csv, column "Region": missing column "Region" \(the --segment columns\)/],
    [['--model', 'missing.json', '--data', 'test.csv', '--out', 'x.html'], 1, /missing\.json: model file not found/],
    [['--model', 'model.json', '--data', 'test.csv', '--out', 'no/such/folder/x.html'], 1, /cannot write the output file for --out \(its folder does not exist\)/],
  ])('refuses %j with exit code %i and a clear message, writing nothing', (args, status, message) => {
    const run = runCli(['report', ...args], dir);
    expect(run.status).toBe(status);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });
});
