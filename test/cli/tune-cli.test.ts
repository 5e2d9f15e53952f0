import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeTempDir, runCli, writeCustomers } from './run-cli.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => writeCustomers(join(dir, 'customers.csv'), 300));

const search = ['--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', '--trials', '3', '--folds', '3', '--seed', '4'];

describe('churnkit tune', () => {
  it('logs each configuration on stderr, prints the ranked table and the choice, and writes the refitted model and its report', () => {
    const run = runCli(['tune', ...search, '--out', 'tuned.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const trialLines = run.stderr.trim().split('\n');
    expect(trialLines).toHaveLength(3);
    expect(trialLines[0]).toMatch(/^tune: trial 1\/3 mlp 64,32 lr 0\.008 cosine l2 0\.0003 epochs 40\/10 batch 64 weights none watch loss: AUC 0\.\d{4} ± 0\.\d{4} \([\d.]+ s\)$/);

    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^3-fold cross-validation of 3 configurations on customers\.csv \(300 rows, seed 4\) in [\d.]+ s$/);
    expect(lines[2]).toMatch(/^\s+trial\s+model\s+lr\s+schedule\s+l2\s+epochs\s+batch\s+weights\s+watch\s+AUC \(mean ± sd\)\s+PR AUC\s+log loss\s+seconds$/);
    const rows = lines.slice(3, 6);
    expect(rows.filter((row) => row.startsWith('*'))).toHaveLength(1);
    expect(rows.some((row) => /\b1 \(defaults\)\s+mlp 64,32/.test(row))).toBe(true);
    const aucs = rows.map((row) => Number(/(0\.\d{4}) ± 0\.\d{4}\s+0\.\d{4} ±/.exec(row)![1]));
    expect(aucs).toEqual([...aucs].sort((a, b) => b - a));
    expect(run.stdout).toMatch(/\n(kept the defaults \(trial 1\)|chose trial \d: \+0\.\d{4} AUC over the defaults)/);
    expect(run.stdout).toMatch(/refitted trial \d on 300 rows: wrote tuned\.json and tuned\.report\.html\nno words for the 4 features: reasons name them as they are \(--display gives words\)\n$/);

    const evaluated = runCli(['eval', '--model', 'tuned.json', '--data', 'customers.csv', '--json'], dir);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(readFileSync(join(dir, 'tuned.report.html'), 'utf8')).toContain('scored out of fold on <code>customers.csv</code>');
  });

  it('is deterministic for a seed: the same configurations, fold scores and choice in two runs', () => {
    const first = runCli(['tune', ...search, '--out', 'a.json', '--json'], dir);
    const second = runCli(['tune', ...search, '--out', 'b.json', '--json', '--report', 'b.html'], dir);
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    const comparable = (result: { trials: { settings: unknown; fold_auc: number[] }[]; chosen: number }) => ({ chosen: result.chosen, trials: result.trials.map(({ settings, fold_auc }) => ({ settings, fold_auc })) });
    expect(comparable(b)).toEqual(comparable(a));
    expect(b.report).toBe('b.html');
    const weights = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')).weights;
    expect(weights('b.json')).toEqual(weights('a.json'));
  });

  it('shows a progress bar on a terminal', () => {
    const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
    if (!hasScript) throw new Error('util-linux "script" is needed to give the CLI a terminal');
    const command = [process.execPath, CLI, 'tune', ...search.with(search.indexOf('--trials') + 1, '2'), '--out', 'tty.json'].map((part) => `'${part}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/tune \(folds\) \[[█░]+\] \d\/6/);
    expect(run.stdout).not.toContain('tune: trial 1/2');
  });

  it.each([
    [['--trials', '0'], /option '--trials <n>' argument '0' is invalid. expected a whole number >= 1/],
    [['--folds', '1'], /option '--folds <k>' argument '1' is invalid. expected a whole number >= 2/],
    [['--time-limit', '-5'], /option '--time-limit <seconds>' argument '-5' is invalid. expected a number > 0/],
    [['--seed', 'x'], /option '--seed <n>' argument 'x' is invalid/],
    [['--model', 'mlp'], /unknown option '--model'/],
  ])('refuses %j as a usage error (exit 2) before reading anything', (flags, message) => {
    const run = runCli(['tune', '--data', 'customers.csv', '--target', 'Churn', '--out', 'never.json', ...flags], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('refuses a file with too few churners for the folds, naming the file and column', () => {
    const run = runCli(['tune', '--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', '--folds', '200', '--out', 'never.json'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^churnkit: customers\.csv, column "Churn": only \d+ rows are labelled [01] \((churned|retained)\); 200-fold cross-validation needs at least 200 of each class/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('refuses a missing --out', () => {
    const run = runCli(['tune', '--data', 'customers.csv', '--target', 'Churn'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("required option '--out <file>' not specified");
  });
});
