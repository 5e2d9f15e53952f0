import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeTempDir, runCli, writeCustomers } from './run-cli.js';

const dir = makeTempDir();
const FAST_LOGREG = ['--model', 'logreg', '--epochs', '40'];

describe('churnkit train → eval → predict → cv', () => {
  beforeAll(() => {
    writeCustomers(join(dir, 'train.csv'), 240);
    writeCustomers(join(dir, 'test.csv'), 120);
  });

  it('--version prints the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const run = runCli(['--version'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(manifest.version);
  });

  it('train writes a model file that stores the target and id columns, and prints a summary', () => {
    const run = runCli(['train', '--data', 'train.csv', '--target', 'Churn', '--id', 'CustomerID', ...FAST_LOGREG, '--out', 'model.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/churnkit:/);
    expect(run.stdout).toMatch(/trained logreg .* on 240 rows \(4 feature columns/);
    expect(run.stdout).toMatch(/wrote model\.json/);
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(file.metadata).toMatchObject({ target: 'Churn', id: 'CustomerID', rows: 240, seed: 42 });
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('train reads --data from a pipe once: the model records the hash of the bytes it was trained on', () => {
    const data = readFileSync(join(dir, 'train.csv'));
    const train = ['train', '--data', '/dev/stdin', '--target', 'Churn', '--id', 'CustomerID', ...FAST_LOGREG, '--out', 'piped.json'];
    // The shell's pipe, as `zcat train.csv.gz | churnkit train --data /dev/stdin` makes it.
    const run = spawnSync('sh', ['-c', 'cat train.csv | "$@"', 'sh', process.execPath, CLI, ...train], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'piped.json'), 'utf8'));
    expect(file.metadata.dataHash).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('eval --json prints one JSON object with every headline metric', () => {
    const run = runCli(['eval', '--model', 'model.json', '--data', 'test.csv', '--json'], dir);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    for (const key of ['auc', 'pr_auc', 'logloss', 'brier', 'accuracy', 'precision', 'recall', 'f1', 'threshold']) {
      expect(Number.isFinite(report[key]), key).toBe(true);
    }
    expect(report.rows).toBe(120);
    const { tp, fp, tn, fn } = report.confusion;
    expect(tp + fp + tn + fn).toBe(120);
    expect(report.auc).toBeGreaterThan(0.75);
    expect(report.calibration).toHaveLength(10);
  });

  it('eval without --json prints a readable table, and --target overrides the stored target', () => {
    const run = runCli(['eval', '--model', 'model.json', '--data', 'test.csv', '--target', 'Churn'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ROC AUC\s+0\.\d{4}/);
    expect(run.stdout).toMatch(/Confusion matrix at threshold/);
  });

  it('eval reports the most profitable threshold when given the economics of a retention action', () => {
    const economics = ['--action-cost', '2', '--retained-value', '50', '--success-rate', '0.4'];
    const run = runCli(['eval', '--model', 'model.json', '--data', 'test.csv', '--json', ...economics], dir);
    expect(run.status, run.stderr).toBe(0);
    const { profit } = JSON.parse(run.stdout);
    expect(profit).toMatchObject({ actionCost: 2, retainedValue: 50, successRate: 0.4 });
    expect(profit.flagged).toBeGreaterThan(0);
    expect(profit.profit).toBeGreaterThan(0);
    expect(profit.threshold).toBeGreaterThan(0);
    const partial = runCli(['eval', '--model', 'model.json', '--data', 'test.csv', '--action-cost', '2'], dir);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toMatch(/must be given together/);
  });

  it('predict writes id, probability, risk band and three signed reasons per customer', () => {
    const run = runCli(['predict', '--model', 'model.json', '--data', 'test.csv', '--out', 'scores.csv'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/wrote 120 predictions to scores\.csv/);
    const lines = readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('CustomerID,probability,risk,reason_1,reason_2,reason_3');
    expect(lines).toHaveLength(121);
    const [id, probability, risk, ...reasons] = lines[1]!.split(',');
    expect(id).toBe('00001');
    expect(Number(probability)).toBeGreaterThanOrEqual(0);
    expect(Number(probability)).toBeLessThanOrEqual(1);
    expect(['low', 'medium', 'high']).toContain(risk);
    expect(reasons).toHaveLength(3);
    for (const reason of reasons) expect(reason).toMatch(/^(Tenure|Plan|Complain|Spend):[+-]\d+\.\d{3}$/);
  });

  it('predict --out /dev/stdout | … writes the scores into the shell\'s pipe (the device stays a device)', () => {
    // A shell pipe, as a user types it (Node's own child pipes are sockets, which /dev/stdout cannot open).
    const stdout = execFileSync('sh', ['-c', `"${process.execPath}" "${CLI}" predict --model model.json --data test.csv --out /dev/stdout | cat`], { cwd: dir, encoding: 'utf8' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('CustomerID,probability,risk,reason_1,reason_2,reason_3');
    expect(lines.filter((line) => /^\d{5},/.test(line))).toHaveLength(120);
    expect(lstatSync('/dev/stdout').isSymbolicLink() || lstatSync('/dev/stdout').isCharacterDevice()).toBe(true);
  });

  it('predict --out /dev/stdout from a Node parent (its pipes are sockets) writes the scores there, before the summary', () => {
    const run = runCli(['predict', '--model', 'model.json', '--data', 'test.csv', '--out', '/dev/stdout'], dir);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('CustomerID,probability,risk,reason_1,reason_2,reason_3');
    expect(lines.slice(1, 121).every((line) => /^\d{5},/.test(line))).toBe(true);
    expect(lines.slice(121)).toEqual([expect.stringMatching(/wrote 120 predictions to \/dev\/stdout/)]);
  });

  it('predict --out /dev/stdout >> file appends to the file, as the shell asked, instead of replacing it', () => {
    writeFileSync(join(dir, 'appended.log'), 'an earlier line\n');
    execFileSync('sh', ['-c', `"${process.execPath}" "${CLI}" predict --model model.json --data test.csv --out /dev/stdout >> appended.log`], { cwd: dir });
    const lines = readFileSync(join(dir, 'appended.log'), 'utf8').trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['an earlier line', 'CustomerID,probability,risk,reason_1,reason_2,reason_3']);
    expect(lines.filter((line) => /^\d{5},/.test(line))).toHaveLength(120);
    expect(lines.at(-1)).toMatch(/wrote 120 predictions to \/dev\/stdout/);
  });

  it('predict --out /dev/stdout | head ends quietly, exit 0, when head stops reading', () => {
    writeCustomers(join(dir, 'piped.csv'), 20_000);
    const script = `"${process.execPath}" "${CLI}" predict --model model.json --data piped.csv --out /dev/stdout 2>piped.err | head -1 >/dev/null`;
    // pipefail: the pipeline fails with churnkit's status if churnkit failed.
    execFileSync('bash', ['-o', 'pipefail', '-c', script], { cwd: dir });
    expect(readFileSync(join(dir, 'piped.err'), 'utf8')).toBe('');
  });

  it('predict numbers the rows when the model has no id column', () => {
    expect(runCli(['train', '--data', 'train.csv', '--target', 'Churn', ...FAST_LOGREG, '--out', 'no-id.json'], dir).status).toBe(0);
    const run = runCli(['predict', '--model', 'no-id.json', '--data', 'test.csv', '--out', 'rows.csv'], dir);
    expect(run.status).toBe(0);
    const lines = readFileSync(join(dir, 'rows.csv'), 'utf8').split('\n');
    expect(lines[0]).toMatch(/^row,probability,risk,/);
    expect(lines[2]).toMatch(/^2,/);
  });

  it('predict reads and writes a file larger than its chunk a chunk at a time, every row once and in order', () => {
    writeCustomers(join(dir, 'many.csv'), 10_000);
    const run = runCli(['predict', '--model', 'model.json', '--data', 'many.csv', '--out', 'many-scores.csv'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote 10000 predictions to many-scores\.csv/);
    const lines = readFileSync(join(dir, 'many-scores.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(10_001);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(Array.from({ length: 10_000 }, (_, i) => String(i + 1).padStart(5, '0')));
    // The rows the small file has score the same read in chunks: the first 120 customers are test.csv's.
    expect(lines.slice(1, 121)).toEqual(readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n').slice(1));
  });

  it('predict leaves no output, and the old file as it was, when a row after the first chunks is bad', () => {
    const good = readFileSync(join(dir, 'many.csv'), 'utf8').trimEnd().split('\n');
    const bad = [...good.slice(0, 9_001), '09001,No,twelve,Basic,0,10.00', ...good.slice(9_001)];
    writeFileSync(join(dir, 'late-error.csv'), `${bad.join('\n')}\n`);
    writeFileSync(join(dir, 'kept.csv'), 'an earlier run\n');
    const run = runCli(['predict', '--model', 'model.json', '--data', 'late-error.csv', '--out', 'kept.csv'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/late-error\.csv, line 9002.*non-numeric text 'twelve' in numeric column 'Tenure'/);
    expect(readFileSync(join(dir, 'kept.csv'), 'utf8')).toBe('an earlier run\n');
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('trains a small MLP with the model flags', () => {
    const run = runCli(['train', '--data', 'train.csv', '--target', 'Churn', '--model', 'mlp', '--hidden', '8,4', '--epochs', '5', '--lr', '0.01', '--batch-size', '32', '--l2', '0.001', '--seed', '7', '--out', 'mlp.json'], dir);
    expect(run.status).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'mlp.json'), 'utf8'));
    expect(file.architecture.layers.map((layer: { units: number }) => layer.units)).toEqual([8, 4, 1]);
    expect(file.metadata.seed).toBe(7);
  });

  it('cv --json prints the mean and spread of AUC over stratified folds', () => {
    const run = runCli(['cv', '--data', 'train.csv', '--target', 'Churn', '--id', 'CustomerID', ...FAST_LOGREG, '--folds', '3', '--json'], dir);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.folds).toHaveLength(3);
    expect(report.folds.map((fold: { fold: number }) => fold.fold)).toEqual([1, 2, 3]);
    expect(report.folds.reduce((sum: number, fold: { rows: number }) => sum + fold.rows, 0)).toBe(240);
    const aucs = report.folds.map((fold: { auc: number }) => fold.auc);
    expect(report.auc).toBeCloseTo(aucs.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    expect(report.auc_std).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(report.pr_auc) && Number.isFinite(report.logloss)).toBe(true);
  });
});
