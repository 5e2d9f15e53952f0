import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './run-cli.js';

/** The shared real datasets (see /work/shared/datasets/README.md); absent on a user's fresh machine. */
const datasetDir = resolve(import.meta.dirname, '../../../shared/datasets/ecommerce-churn');
const present = existsSync(datasetDir);
if (!present) console.warn(`The e-commerce report and tune tests did not run: ${datasetDir} is absent (the full figures are in bench/RESULTS.md, from npm run bench:tune).`);

describe.skipIf(!present)('churnkit report and tune on the public e-commerce churn data', () => {
  const dir = makeTempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const trainCsv = join(datasetDir, 'train.csv');
  const testCsv = join(datasetDir, 'test.csv');

  it('reports the default MLP on test.csv with the same metrics as eval, by device as the model spells it', () => {
    const trained = runCli(['train', '--data', trainCsv, '--target', 'Churn', '--id', 'CustomerID', '--seed', '1', '--out', 'mlp.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
    const report = runCli(['report', '--model', 'mlp.json', '--data', testCsv, '--segment', 'PreferredLoginDevice', '--json', '--out', 'report.html'], dir);
    const evaluation = runCli(['eval', '--model', 'mlp.json', '--data', testCsv, '--json', '--action-cost', '10', '--retained-value', '100', '--success-rate', '0.3'], dir);
    expect(report.status, report.stderr).toBe(0);
    const data = JSON.parse(report.stdout);
    expect(data.metrics).toEqual(JSON.parse(evaluation.stdout));
    expect(data.metrics.rows).toBe(1126);
    expect(data.metrics.auc).toBeGreaterThanOrEqual(0.98);
    // "Phone" and "Mobile Phone" are one input of the model, so one segment.
    expect(data.segments[0].rows.map((row: { segment: string }) => row.segment).sort()).toEqual(['Computer', 'Mobile Phone']);
    expect(data.importance.rowsExplained).toBe(1126);
  }, 120_000);

  it('a reduced search (4 configurations × 3 folds on train.csv) writes a model that holds up on test.csv', () => {
    const tuned = runCli(['tune', '--data', trainCsv, '--target', 'Churn', '--id', 'CustomerID', '--trials', '4', '--folds', '3', '--seed', '1', '--out', 'tuned.json'], dir);
    expect(tuned.status, tuned.stderr).toBe(0);
    expect(tuned.stdout).toMatch(/3-fold cross-validation of 4 configurations .* \(4504 rows, seed 1\)/);
    const evaluation = runCli(['eval', '--model', 'tuned.json', '--data', testCsv, '--json'], dir);
    expect(evaluation.status, evaluation.stderr).toBe(0);
    expect(JSON.parse(evaluation.stdout).auc).toBeGreaterThanOrEqual(0.985);
    expect(readFileSync(join(dir, 'tuned.report.html'), 'utf8')).toContain('scored out of fold');
  }, 240_000);
});
