/**
 * A data person's own export, as `train`, `cv` and `tune` meet it: columns to leave out
 * (`--exclude`), text columns most likely meant otherwise (numbers written with signs, dates,
 * an identifier such as an e-mail), and a file separated by semicolons.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './run-cli.js';

const FAST = ['--model', 'logreg', '--epochs', '5'];

/** `rows` customers: id, e-mail, tenure, spend as a plain number or as money, plan, churn. */
function writeExport(file: string, options: { money?: boolean; separator?: string } = {}): void {
  const separator = options.separator ?? ',';
  const lines = [['id', 'email', 'tenure', 'spend', 'plan', 'churn'].join(separator)];
  for (let i = 0; i < 400; i++) {
    const spend = 100 + ((i * 37) % 900) + 0.5;
    const written = options.money ? `"$${Math.floor(spend / 1000)},${String(Math.floor(spend) % 1000).padStart(3, '0')}.50"` : String(spend);
    lines.push([i, `user${i}@example.com`, i % 60, written, ['basic', 'plus'][i % 2], i % 3 === 0 ? 'yes' : 'no'].join(separator));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** The feature columns a model file was fitted on. */
function featureColumns(file: string): string[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { featureSpec: { columns: { name: string }[] } }).featureSpec.columns.map((column) => column.name);
}

function warnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('churnkit: warning: '));
}

describe('training columns from a user\'s export', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
    writeExport(join(dir, 'plain.csv'));
    writeExport(join(dir, 'money.csv'), { money: true });
    writeExport(join(dir, 'semicolons.csv'), { separator: ';' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('warns that an e-mail column is an identifier, and trains on it as told', () => {
    const run = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--id', 'id', ...FAST, '--out', 'with-email.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([
      'churnkit: warning: "email" has 400 different values in 400 rows, like an identifier: only its 50 most frequent are categories, the rest one unknown value (noise to the model); pass it as --id or --exclude it',
    ]);
    expect(featureColumns(join(dir, 'with-email.json'))).toEqual(['email', 'tenure', 'spend', 'plan']);
  });

  it('warns that a numeric column named like an id, a different value in every row, is trained on when --id is left out', () => {
    const run = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--exclude', 'email', ...FAST, '--out', 'without-id.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([
      'churnkit: warning: "id" is named like an identifier and has 400 different values in 400 rows: it is trained on as a number; pass it as --id or --exclude it',
    ]);
    expect(featureColumns(join(dir, 'without-id.json'))).toEqual(['id', 'tenure', 'spend', 'plan']);
  });

  it('trains on a text column holding a note longer than a model file stores: that value is unknown to the model, not a failure once training is done', () => {
    const lines = readFileSync(join(dir, 'plain.csv'), 'utf8').trimEnd().split('\n');
    const note = `"${'called to cancel, then stayed after a long talk about the price; '.repeat(40)}"`;
    writeFileSync(join(dir, 'long-note.csv'), `${lines.map((line, row) => `${line},${row === 0 ? 'note' : row === 7 ? note : ['ok', 'late'][row % 2]}`).join('\n')}\n`);
    for (const command of [['train', '--out', 'long-note.json'], ['tune', '--trials', '1', '--folds', '2', '--out', 'long-note-tuned.json']]) {
      const run = runCli([command[0]!, '--data', 'long-note.csv', '--target', 'churn', '--id', 'id', '--exclude', 'email', ...(command[0] === 'train' ? FAST : []), ...command.slice(1)], dir);
      expect(run.status, run.stderr).toBe(0);
    }
    const noteColumn = (JSON.parse(readFileSync(join(dir, 'long-note.json'), 'utf8')) as { featureSpec: { columns: { name: string; categories?: string[]; unknownSeen?: boolean }[] } }).featureSpec.columns.find((column) => column.name === 'note');
    expect(noteColumn).toMatchObject({ categories: ['late', 'ok'], unknownSeen: true });
  });

  it('refuses before training a column name longer than a model file stores, and --exclude leaves it out', () => {
    const lines = readFileSync(join(dir, 'plain.csv'), 'utf8').split('\n');
    lines[0] = lines[0]!.replace('plan', 'p'.repeat(1100));
    writeFileSync(join(dir, 'long-name.csv'), lines.join('\n'));
    const refused = runCli(['train', '--data', 'long-name.csv', '--target', 'churn', '--id', 'id', '--exclude', 'email', ...FAST, '--out', 'long-name.json'], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^churnkit: column "p{60}… \(1,100 characters\)" has a name longer than the 1,024 characters a model file stores; rename it or leave it out\n$/);
    expect(refused.stdout).toBe('');
    const excluded = runCli(['train', '--data', 'long-name.csv', '--target', 'churn', '--id', 'id', '--exclude', `email,${'p'.repeat(1100)}`, ...FAST, '--out', 'long-name.json'], dir);
    expect(excluded.status, excluded.stderr).toBe(0);
  });

  it('--exclude leaves columns out of the model, with no warning about them', () => {
    const run = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--id', 'id', '--exclude', 'email, plan', ...FAST, '--out', 'excluded.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([]);
    expect(run.stdout).toMatch(/\(2 feature columns,/);
    expect(featureColumns(join(dir, 'excluded.json'))).toEqual(['tenure', 'spend']);
  });

  it('warns that money written with signs is read as categories, naming the column and what to write', () => {
    const run = runCli(['train', '--data', 'money.csv', '--target', 'churn', '--id', 'id', '--exclude', 'email', ...FAST, '--out', 'money.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([
      'churnkit: warning: "spend" looks like numbers written with signs ("$0,100.50"): read as categories; write plain numbers (0100.50) to use it as a number, or --exclude it',
    ]);
  });

  it('warns that a column of dates is read as categories', () => {
    const lines = ['signed_up,tenure,churn', ...Array.from({ length: 200 }, (_, i) => `${i % 2 === 0 ? `2024-0${1 + (i % 9)}-1${i % 10}` : `0${1 + (i % 9)}/1${i % 10}/2024`},${i % 40},${i % 3 === 0 ? 1 : 0}`)];
    writeFileSync(join(dir, 'dates.csv'), `${lines.join('\n')}\n`);
    const run = runCli(['train', '--data', 'dates.csv', '--target', 'churn', ...FAST, '--out', 'dates.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(warnings(run.stderr)).toEqual([
      'churnkit: warning: "signed_up" looks like dates ("2024-01-10"): read as categories, which say nothing about time; turn it into a number (days since it, as of the label date) to use it, or --exclude it',
    ]);
  });

  it('refuses an --exclude column the file lacks, naming it and the header, and writes nothing', () => {
    const run = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--exclude', 'e-mail', ...FAST, '--out', 'never.json'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('churnkit: plain.csv, column "e-mail": missing column "e-mail" (named by --exclude); the header has "id", "email", "tenure", "spend", "plan", "churn"\n');
    expect(() => readFileSync(join(dir, 'never.json'))).toThrow();
  });

  it('refuses an --exclude that names an empty column (a usage error) and one that leaves no features', () => {
    const empty = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--exclude', 'email,', '--out', 'never.json'], dir);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--exclude <columns>' argument 'email,' is invalid\. expected comma-separated column names/);
    const all = runCli(['train', '--data', 'plain.csv', '--target', 'churn', '--id', 'id', '--exclude', 'email,tenure,spend,plan', '--out', 'never.json'], dir);
    expect(all.status).toBe(1);
    expect(all.stderr).toBe('churnkit: plain.csv: has no feature columns besides the target and id columns and those --exclude names; expected at least one column describing customers\n');
  });

  it('cv and tune take --exclude too', () => {
    for (const command of [['cv', '--folds', '3'], ['tune', '--trials', '1', '--folds', '3', '--out', 'never.json']]) {
      const run = runCli([...command, '--data', 'plain.csv', '--target', 'churn', '--exclude', 'nope'], dir);
      expect(run.status, command[0]).toBe(1);
      expect(run.stderr, command[0]).toMatch(/^churnkit: plain\.csv, column "nope": missing column "nope" \(named by --exclude\)/);
    }
  });

  it('asks whether a file read as one column is separated by semicolons', () => {
    const run = runCli(['train', '--data', 'semicolons.csv', '--target', 'churn', '--id', 'id', '--out', 'never.json'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'churnkit: semicolons.csv, column "id": missing column "id" (the id column); the header has "id;email;tenure;spend;plan;churn" (one column: is the file separated by semicolons? churnkit reads comma-separated CSV)\n',
    );
  });
});
