/**
 * The features' words from the command line (issue 12, item 6): `features` writes them beside
 * the table, `train` carries them (and a data person's `--display` file) into the model file,
 * so the plugin's reasons read like sentences for the built-in features and a store's own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFeature, displaysOf } from '../../src/explain/describe-feature.js';
import { FEATURE_NAMES } from '../../src/features/feature-definitions.js';
import { EVENT_FEATURE_DISPLAY } from '../../src/features/feature-display.js';
import type { ModelFileV1 } from '../../src/model/model-file-schema.js';
import { CLI, makeTempDir, runCli, writeCustomers } from './run-cli.js';

const dir = makeTempDir();
const QUICK = ['--model', 'logreg', '--epochs', '5'];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function modelFile(name: string): ModelFileV1 {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as ModelFileV1;
}

describe('features → train: the built-in words travel into the model file', () => {
  beforeAll(() => {
    const generate = runCli(['generate', '--customers', '400', '--days', '200', '--seed', '5', '--start', '2025-01-01', '--out', 'events.csv'], dir);
    expect(generate.status, generate.stderr).toBe(0);
  });

  it('features writes features.display.json beside the table: words for every feature column, one a line', () => {
    const run = runCli(['features', '--events', 'events.csv', '--as-of', '2025-05-01', '--horizon', '60d', '--out', 'features.csv'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote features\.csv and features\.display\.json/);
    const text = readFileSync(join(dir, 'features.display.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(EVENT_FEATURE_DISPLAY)));
    expect(text.trim().split('\n')).toHaveLength(FEATURE_NAMES.length + 2);
  });

  it('features --out to a pipe writes the table into it and no words file beside the pipe', () => {
    execFileSync('mkfifo', [join(dir, 'table.fifo')]);
    const features = ['features', '--events', 'events.csv', '--as-of', '2025-05-01', '--horizon', '60d', '--out', 'table.fifo'];
    // A reader on the named pipe, as `--out >(gzip > features.csv.gz)` gives one.
    const run = spawnSync('sh', ['-c', 'cat table.fifo > copy.csv & "$@"; status=$?; wait; exit $status', 'sh', process.execPath, CLI, ...features], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote table\.fifo; the features' words go beside a table written to a file, not to table\.fifo\n$/);
    expect(readFileSync(join(dir, 'copy.csv'), 'utf8')).toBe(readFileSync(join(dir, 'features.csv'), 'utf8'));
    expect(existsSync(join(dir, 'table.fifo.display.json'))).toBe(false);
  });

  it('train reads them and the model explains itself in words', () => {
    const run = runCli(['train', '--data', 'features.csv', '--target', 'churned', '--id', 'customer_id', ...QUICK, '--out', 'events-model.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`words for ${FEATURE_NAMES.length} of ${FEATURE_NAMES.length} features \\(read features\\.display\\.json\\)`));
    const file = modelFile('events-model.json');
    expect(describeFeature('log_refunds_total', Math.log1p(1), displaysOf(file.metadata))).toBe('1 refund so far');
  });

  it("an edited words file beside the table wins over the built-in words; a column since removed from the table is no error", () => {
    const words = JSON.parse(readFileSync(join(dir, 'features.display.json'), 'utf8')) as Record<string, unknown>;
    words.log_refunds_total = { label: 'returns', scale: 'log1p', cases: [{ atMost: 0, text: 'never returned anything' }], text: 'returned {n} times' };
    writeFileSync(join(dir, 'features.display.json'), JSON.stringify(words));
    const [header, ...rows] = readFileSync(join(dir, 'features.csv'), 'utf8').trimEnd().split('\n').map((line) => line.split(','));
    const dropped = header!.indexOf('hour_sin');
    const keep = (cells: string[]) => cells.filter((_, index) => index !== dropped).join(',');
    writeFileSync(join(dir, 'features.csv'), `${[keep(header!), ...rows.map(keep)].join('\n')}\n`);

    const run = runCli(['train', '--data', 'features.csv', '--target', 'churned', '--id', 'customer_id', ...QUICK, '--out', 'edited-model.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const file = modelFile('edited-model.json');
    expect(file.metadata.options.display).not.toHaveProperty('hour_sin');
    expect(describeFeature('log_refunds_total', Math.log1p(3), displaysOf(file.metadata))).toBe('returned 3 times');
  });
});

describe("train --display: a store's own table in words", () => {
  beforeAll(() => writeCustomers(join(dir, 'customers.csv'), 240));

  it('carries the words of a --display file into the model file', () => {
    const words = { Tenure: { label: 'Tenure', unit: 'months' }, Complain: { label: 'complaint', cases: [{ atMost: 0, text: 'no complaint' }], text: 'complained' } };
    writeFileSync(join(dir, 'words.json'), JSON.stringify(words));
    const run = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', ...QUICK, '--display', 'words.json', '--out', 'own.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/words for 2 of 4 features \(read words\.json\)/);
    const displays = displaysOf(modelFile('own.json').metadata);
    expect(describeFeature('Tenure', 12, displays)).toBe('Tenure: 12 months');
    expect(describeFeature('Complain', 1, displays)).toBe('complained');
  });

  it('says when a model has no words for its features', () => {
    const run = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', ...QUICK, '--out', 'plain.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/no words for the 4 features: reasons name them as they are \(--display gives words\)/);
    expect(modelFile('plain.json').metadata.options).not.toHaveProperty('display');
  });

  it.each([
    ['malformed words', { Tenure: { unit: 'months' } }, /words\.bad\.json.*Tenure\.label: missing/s],
    ['words for a column the table lacks', { Tenur: { label: 'Tenure' } }, /display words for "Tenur" name no feature column/],
  ])('refuses %s, naming them, and writes no model', (_, words, message) => {
    writeFileSync(join(dir, 'words.bad.json'), JSON.stringify(words));
    const run = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', ...QUICK, '--display', 'words.bad.json', '--out', 'refused.json'], dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'refused.json'))).toBe(false);
  });

  it('refuses a --display file that is not JSON, or missing, naming it', () => {
    writeFileSync(join(dir, 'words.txt'), 'Tenure = months');
    const notJson = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', ...QUICK, '--display', 'words.txt', '--out', 'refused.json'], dir);
    expect(notJson.stderr).toMatch(/words\.txt.*not JSON/s);
    const missing = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', ...QUICK, '--display', 'nosuch.json', '--out', 'refused.json'], dir);
    expect(missing.stderr).toMatch(/nosuch\.json.*cannot read the words file/s);
    expect([notJson.status, missing.status]).not.toContain(0);
  });
});
