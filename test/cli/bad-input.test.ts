import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseModelFile, serializeModel } from '../../src/model/model-file.js';
import { makeTempDir, runCli, writeCustomers, type CliRun } from './run-cli.js';

const dir = makeTempDir();

/** A ChurnkitError: exactly one line on stderr, no stack trace, exit code 1. */
function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^churnkit: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

function expectNoOutputFile(name: string): void {
  expect(existsSync(join(dir, name))).toBe(false);
  expect(readdirSync(dir).filter((file) => file.startsWith(`${name}.tmp-`))).toEqual([]);
}

describe('churnkit on bad input', () => {
  beforeAll(() => {
    writeCustomers(join(dir, 'good.csv'), 160);
    const trained = runCli(['train', '--data', 'good.csv', '--target', 'Churn', '--id', 'CustomerID', '--model', 'logreg', '--epochs', '20', '--out', 'model.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
    const good = readFileSync(join(dir, 'good.csv'), 'utf8').split('\n');
    // Data row 9 (file line 10) gets text in the numeric Tenure column.
    good[9] = good[9]!.replace(/^(\d+,\w+),[^,]*,/, '$1,abc,');
    writeFileSync(join(dir, 'text-in-tenure.csv'), good.join('\n'));
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'other-columns.csv'), 'CustomerID,Churn,Age,Country\n1,0,31,FR\n2,1,45,DE\n');
  });

  it('names the file and the column when the target column is missing', () => {
    const run = runCli(['train', '--data', 'good.csv', '--target', 'Cancelled', '--out', 'out.json'], dir);
    expectOneLineError(run, /good\.csv, column "Cancelled": missing column "Cancelled" \(the target column\); the header has "CustomerID", "Churn"/);
    expectNoOutputFile('out.json');
  });

  it('says the file is empty', () => {
    const run = runCli(['train', '--data', 'empty.csv', '--target', 'Churn', '--out', 'out.json'], dir);
    expectOneLineError(run, /empty\.csv: file is empty/);
    expectNoOutputFile('out.json');
  });

  it('reads a UTF-16 file with its byte-order mark (Excel\'s "Unicode text") as predict does: the same scores as from UTF-8', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(join(dir, 'good.csv'), 'utf8'), 'utf16le')]);
    writeFileSync(join(dir, 'utf16.csv'), utf16);
    const fromUtf16 = runCli(['eval', '--model', 'model.json', '--data', 'utf16.csv', '--json'], dir);
    const fromUtf8 = runCli(['eval', '--model', 'model.json', '--data', 'good.csv', '--json'], dir);
    expect(fromUtf16.status, fromUtf16.stderr).toBe(0);
    expect(JSON.parse(fromUtf16.stdout)).toEqual(JSON.parse(fromUtf8.stdout));
    const trained = runCli(['train', '--data', 'utf16.csv', '--target', 'Churn', '--id', 'CustomerID', '--model', 'logreg', '--epochs', '20', '--out', 'utf16-model.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
  });

  it('says a file is not UTF-8 text (UTF-16 without its mark, a binary file) instead of a ragged row far down, in train and predict alike', () => {
    writeFileSync(join(dir, 'utf16-no-mark.csv'), Buffer.from(readFileSync(join(dir, 'good.csv'), 'utf8'), 'utf16le'));
    writeFileSync(join(dir, 'binary.csv'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x2c, 0x0a, 0x31, 0x2c, 0x32, 0x0a]));
    for (const file of ['utf16-no-mark.csv', 'binary.csv']) {
      const message = new RegExp(`${file.replace('.', '\\.')}, line 1: the header holds NUL bytes: the file is not UTF-8 text`);
      expectOneLineError(runCli(['train', '--data', file, '--target', 'Churn', '--out', 'out.json'], dir), message);
      expectOneLineError(runCli(['predict', '--model', 'model.json', '--data', file, '--out', 'scores.csv'], dir), message);
    }
    expectNoOutputFile('out.json');
    expectNoOutputFile('scores.csv');
  });

  it('names the file, line, row and column of text in a numeric column when training', () => {
    const run = runCli(['train', '--data', 'text-in-tenure.csv', '--target', 'Churn', '--out', 'out.json'], dir);
    expectOneLineError(run, /text-in-tenure\.csv, line 10, row 9, column "Tenure": non-numeric text 'abc' in numeric column 'Tenure'/);
    expectNoOutputFile('out.json');
  });

  it('names the row and column of text in a column the model reads as numeric when predicting', () => {
    const run = runCli(['predict', '--model', 'model.json', '--data', 'text-in-tenure.csv', '--out', 'scores.csv'], dir);
    expectOneLineError(run, /line 10, row 9, column "Tenure": non-numeric text 'abc'/);
    expectNoOutputFile('scores.csv');
  });

  it('lists the feature columns a file lacks when the model was trained on other columns', () => {
    const predict = runCli(['predict', '--model', 'model.json', '--data', 'other-columns.csv', '--out', 'scores.csv'], dir);
    expectOneLineError(predict, /other-columns\.csv: missing 4 columns "Tenure", "Plan", "Complain", "Spend" \(features the model was trained on\)/);
    expectNoOutputFile('scores.csv');
    const evaluate = runCli(['eval', '--model', 'model.json', '--data', 'other-columns.csv'], dir);
    expectOneLineError(evaluate, /missing 4 columns/);
  });

  it('names a label that is not 0/1, true/false or yes/no with its row', () => {
    const lines = readFileSync(join(dir, 'good.csv'), 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/^(\d+),\w+,/, '$1,maybe,');
    writeFileSync(join(dir, 'bad-label.csv'), lines.join('\n'));
    const run = runCli(['eval', '--model', 'model.json', '--data', 'bad-label.csv', '--json'], dir);
    expectOneLineError(run, /bad-label\.csv, line 4, row 3, column "Churn": expected a churn label 0\/1, true\/false or yes\/no, got "maybe"/);
  });

  it('refuses to evaluate or train on a file where every customer has the same label', () => {
    writeFileSync(join(dir, 'one-class.csv'), 'CustomerID,Churn,Tenure,Plan,Complain,Spend\n1,No,3,Basic,0,20\n2,no,5,Pro,1,30\n');
    const evaluate = runCli(['eval', '--model', 'model.json', '--data', 'one-class.csv', '--json'], dir);
    expectOneLineError(evaluate, /one-class\.csv, column "Churn": all 2 rows are labelled 0 \(retained\); expected both/);
    const train = runCli(['train', '--data', 'one-class.csv', '--target', 'Churn', '--out', 'out.json'], dir);
    expectOneLineError(train, /one-class\.csv, column "Churn": all 2 rows are labelled 0/);
    expectNoOutputFile('out.json');
  });

  it('refuses more folds than there are churners', () => {
    writeFileSync(join(dir, 'few-churners.csv'), `Churn,Tenure\n${['1,2', '1,3', ...Array.from({ length: 10 }, (_, i) => `0,${i + 10}`)].join('\n')}\n`);
    const run = runCli(['cv', '--data', 'few-churners.csv', '--target', 'Churn', '--folds', '3', '--json'], dir);
    expectOneLineError(run, /few-churners\.csv, column "Churn": only 2 rows are labelled 1 \(churned\); 3-fold cross-validation needs at least 3 of each class/);
  });

  it('refuses a training file with nothing but the target and id columns', () => {
    writeFileSync(join(dir, 'labels-only.csv'), 'CustomerID,Churn\n1,0\n2,1\n');
    const run = runCli(['train', '--data', 'labels-only.csv', '--target', 'Churn', '--id', 'CustomerID', '--out', 'out.json'], dir);
    expectOneLineError(run, /labels-only\.csv: has no feature columns besides the target and id columns/);
    expectNoOutputFile('out.json');
  });

  it('refuses, before training, features wider than any network takes, naming the widest columns and writing nothing', () => {
    // 90 categorical columns of 60 values: 51 inputs each at the default 50 kept categories, 4,590 in all.
    const columns = Array.from({ length: 90 }, (_, column) => `c${column}`);
    const rows = Array.from({ length: 600 }, (_, row) => [`u${row}`, ...columns.map((_, column) => `v${(row * 7 + column) % 60}`), row % 2].join(','));
    writeFileSync(join(dir, 'wide.csv'), [['CustomerID', ...columns, 'Churn'].join(','), ...rows].join('\n'));
    const run = runCli(['train', '--data', 'wide.csv', '--target', 'Churn', '--id', 'CustomerID', '--out', 'wide.json'], dir);
    expectOneLineError(run, /the encoded features come to 4,590 inputs, more than the 4,096 a network takes \(widest: "c0" 51, "c1" 51, "c2" 51\)/);
    expectNoOutputFile('wide.json');
  });

  it('reports a missing model file', () => {
    const run = runCli(['eval', '--model', 'absent.json', '--data', 'good.csv'], dir);
    expectOneLineError(run, /absent\.json: model file not found/);
  });

  it('reports a tampered model file through its checksum', () => {
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    file.metadata.threshold = 0.01;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(file));
    const run = runCli(['predict', '--model', 'tampered.json', '--data', 'good.csv', '--out', 'scores.csv'], dir);
    expectOneLineError(run, /tampered\.json: checksum mismatch/);
    expectNoOutputFile('scores.csv');
  });

  it('reports a file that is not a model at all', () => {
    writeFileSync(join(dir, 'not-a-model.json'), '{"hello": "world"}');
    const run = runCli(['eval', '--model', 'not-a-model.json', '--data', 'good.csv'], dir);
    expectOneLineError(run, /not-a-model\.json: field "format" is missing; expected "churnkit-model"/);
  });

  it('refuses a model whose weights overflow float32 (3e38) instead of writing NaN,low rows', async () => {
    const file = await parseModelFile(readFileSync(join(dir, 'model.json'), 'utf8'));
    const { version, architecture, featureSpec, metadata } = file;
    const huge = await serializeModel({ version, architecture, featureSpec, metadata, parameters: new Float32Array(file.weights.count).fill(3e38) });
    writeFileSync(join(dir, 'huge-weights.json'), JSON.stringify(huge));
    const run = runCli(['predict', '--model', 'huge-weights.json', '--data', 'good.csv', '--out', 'scores.csv'], dir);
    expectOneLineError(run, /^churnkit: the model does not score the probe "the training mean \(featureSpec\.baseline\)" with a probability: logit (NaN|-?Infinity)/);
    expectNoOutputFile('scores.csv');
  });

  it.each([
    ['1e308', /line 8, row 7, column "Spend": value 1e\+308 is beyond ±8\.99e\+307 \(half the largest double\)/],
    ['-1e308', /line 8, row 7, column "Spend": value -1e\+308 is beyond ±8\.99e\+307/],
    ['Infinity', /line 8, row 7, column "Spend": non-finite number 'Infinity' in numeric column 'Spend'/],
    ['-Infinity', /line 8, row 7, column "Spend": non-finite number '-Infinity'/],
  ])('refuses to train on %s before training, naming the file, line, row, column and value', (cell, message) => {
    const lines = readFileSync(join(dir, 'good.csv'), 'utf8').split('\n');
    lines[7] = lines[7]!.replace(/,[^,]*$/, `,${cell}`);
    writeFileSync(join(dir, 'huge-spend.csv'), lines.join('\n'));
    const run = runCli(['train', '--data', 'huge-spend.csv', '--target', 'Churn', '--id', 'CustomerID', '--epochs', '2', '--out', 'out.json'], dir);
    expectOneLineError(run, message);
    expectNoOutputFile('out.json');
  });

  it('quotes at most ~80 characters of an offending cell, with its length (a 20 MB cell was a 20 MB line)', () => {
    const lines = readFileSync(join(dir, 'good.csv'), 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/,[^,]*$/, `,${'9'.repeat(20_000_000)}`);
    writeFileSync(join(dir, 'huge-cell.csv'), lines.join('\n'));
    const run = runCli(['train', '--data', 'huge-cell.csv', '--target', 'Churn', '--out', 'out.json'], dir);
    expectOneLineError(run, /non-finite number '9{60}… \(20,000,000 characters\)' in numeric column 'Spend'/);
    expect(run.stderr.length).toBeLessThan(300);
  });

  it('leaves an existing output file as it was when a later run fails', () => {
    writeFileSync(join(dir, 'previous.csv'), 'earlier scores\n');
    const run = runCli(['predict', '--model', 'model.json', '--data', 'text-in-tenure.csv', '--out', 'previous.csv'], dir);
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'previous.csv'), 'utf8')).toBe('earlier scores\n');
    expect(readdirSync(dir).filter((file) => file.includes('.tmp-'))).toEqual([]);
  });

  it('reports an output folder that does not exist', () => {
    const run = runCli(['predict', '--model', 'model.json', '--data', 'good.csv', '--out', 'no-such-folder/scores.csv'], dir);
    expectOneLineError(run, /no-such-folder\/scores\.csv: cannot write the output file for --out \(its folder does not exist\)/);
  });

  it('checks every output path before any work, and writes none of the outputs when one cannot be written', () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const tune = ['tune', '--data', 'good.csv', '--target', 'Churn', '--id', 'CustomerID', '--trials', '1', '--folds', '2'];
    expectOneLineError(runCli([...tune, '--out', 'tuned.json', '--report', 'a-folder'], dir), /^churnkit: a-folder: cannot write the output file for --report \(it is a directory\)$/);
    expectNoOutputFile('tuned.json');
    expectOneLineError(runCli([...tune, '--out', 'tuned.json', '--report', 'tuned.json'], dir), /^churnkit: tuned\.json: the same path as the output tuned\.json; one would overwrite the other/);
    expectNoOutputFile('tuned.json');
    const generate = ['generate', '--customers', '5', '--days', '2', '--out', 'generated.csv', '--truth', 'a-folder'];
    expectOneLineError(runCli(generate, dir), /^churnkit: a-folder: cannot write the output file for --truth \(it is a directory\)$/);
    expectNoOutputFile('generated.csv');
    // An existing file where uplift's folder of models should go: refused before the store is even opened.
    const uplift = runCli(['uplift', '--store', 'no-such-store.sqlite', '--out', 'model.json'], dir);
    expectOneLineError(uplift, /^churnkit: model\.json: cannot write the output folder for --out \(it is a file\)$/);
  });

  it('refuses an output that is one of the inputs, under any spelling, leaving the input as it was', () => {
    const events = 'customer_id,ts,type\nc1,2024-01-02T00:00:00Z,order\n';
    writeFileSync(join(dir, 'events.csv'), events);
    const run = runCli(['features', '--events', 'events.csv', '--as-of', '2024-01-10', '--horizon', '30d', '--out', `../${dir.split('/').pop()}/events.csv`], dir);
    expectOneLineError(run, /events\.csv: the output is the input events\.csv; writing it would destroy the input/);
    expect(readFileSync(join(dir, 'events.csv'), 'utf8')).toBe(events);
    expectOneLineError(runCli(['predict', '--model', 'model.json', '--data', 'good.csv', '--out', 'model.json'], dir), /model\.json: the output is the input model\.json/);
  });

  it('exits with 2 on usage errors: a missing required flag, a bad number or share, an unknown model kind, a misspelt date or duration', () => {
    for (const args of [
      ['train', '--data', 'good.csv', '--target', 'Churn'],
      ['train', '--data', 'good.csv', '--target', 'Churn', '--epochs', 'many', '--out', 'out.json'],
      ['cv', '--data', 'good.csv', '--target', 'Churn', '--model', 'forest', '--json'],
      ['cv', '--data', 'good.csv', '--target', 'Churn', '--folds', '1', '--json'],
      ['frobnicate'],
      ['features', '--events', 'events.csv', '--as-of', '2025-02-30', '--horizon', '90d', '--out', 'out.json'],
      ['features', '--events', 'events.csv', '--as-of', '2025-06-30', '--horizon', '90 days', '--out', 'out.json'],
      ['bgnbd', '--events', 'events.csv', '--as-of', '1997-13-30'],
      ['challenger', '--store', 'store.sqlite', '--gap', '-7d'],
      ['retrain', '--store', 'store.sqlite', '--champion', 'model.json', '--out', 'retrained', '--step', 'monthly'],
      // A split in two parts, one of them empty: nothing to train or nothing to test on.
      ['uplift', '--store', 'store.sqlite', '--out', 'uplift', '--test-share', '1'],
      ['uplift', '--store', 'store.sqlite', '--out', 'uplift', '--test-share', '0'],
      ['uplift', '--store', 'store.sqlite', '--out', 'uplift', '--holdout-fraction', '0'],
    ]) {
      const run = runCli(args, dir);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/error: /);
    }
    expectNoOutputFile('out.json');
  });
});
