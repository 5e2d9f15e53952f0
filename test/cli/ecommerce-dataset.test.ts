import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './run-cli.js';
import { sharedDataset } from '../support/requirement.js';

/** The shared real datasets (see their README); absent on a user's fresh machine. */
const dataset = sharedDataset('ecommerce-churn');
const datasetDir = dataset.path;

describe.skipIf(!dataset.met)(dataset.title('churnkit on the public e-commerce churn data'), () => {
  const dir = makeTempDir();
  const trainCsv = join(datasetDir, 'train.csv');
  const testCsv = join(datasetDir, 'test.csv');

  function trainAndEvaluate(model: 'logreg' | 'mlp'): Record<string, number> {
    const trained = runCli(['train', '--data', trainCsv, '--target', 'Churn', '--id', 'CustomerID', '--model', model, '--out', `${model}.json`], dir);
    expect(trained.status, trained.stderr).toBe(0);
    const evaluated = runCli(['eval', '--model', `${model}.json`, '--data', testCsv, '--json'], dir);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    return JSON.parse(evaluated.stdout) as Record<string, number>;
  }

  it('logistic regression reaches the scikit-learn reference on test.csv (AUC >= 0.879)', () => {
    const report = trainAndEvaluate('logreg');
    expect(report.rows).toBe(1126);
    expect(report.auc).toBeGreaterThanOrEqual(0.879);
  });

  it('the MLP reaches the scikit-learn MLPClassifier(64,32) reference on test.csv (AUC >= 0.963)', () => {
    const report = trainAndEvaluate('mlp');
    expect(report.auc).toBeGreaterThanOrEqual(0.963);
    expect(report.pr_auc).toBeGreaterThan(0.8);
  });

  it('predicts every test customer by CustomerID with reasons naming real columns', () => {
    const run = runCli(['predict', '--model', 'mlp.json', '--data', testCsv, '--out', 'scores.csv'], dir);
    expect(run.status, run.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1127);
    expect(lines[1]).toMatch(/^50009,0\.\d{6},(low|medium|high),\w+:[+-]\d/);
  });
});
