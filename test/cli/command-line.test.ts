import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, makeTempDir, runCli } from './run-cli.js';
import { requireFreshCli } from '../support/fresh-build.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and lists the project files and packages it imported. */
function importsOf(args: readonly string[]): { status: number; modules: string[] } {
  const log = join(dir, `imports-${args.join('-').replace(/\W/g, '')}.log`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', resolve(import.meta.dirname, 'record-imports.mjs'), CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CHURNKIT_IMPORT_LOG: log },
  });
  return { status: result.status ?? -1, modules: readFileSync(log, 'utf8').trim().split('\n') };
}

/** What went into each chunk of the bundled CLI (written by scripts/bundle-cli.ts). */
const BUNDLE = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../dist/cli-bundle.meta.json'), 'utf8')) as {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};

/** The source files and package files inside the chunks of the bundle a run loaded. */
function bundledSources(modules: string[]): string[] {
  const loaded = new Set(modules.filter((url) => url.includes('/dist/cli/')).map((url) => url.replace(/^.*\/dist\/cli\//, '')));
  const sources = Object.entries(BUNDLE.outputs)
    .filter(([output]) => loaded.has(output.replace(/^.*\/cli\//, '')))
    .flatMap(([, output]) => Object.keys(output.inputs));
  return [...new Set(sources)];
}
const commandModules = (modules: string[]) =>
  bundledSources(modules).filter((source) => source.includes('cli/commands/')).map((source) => source.replace(/^.*cli\/commands\//, '').replace(/\.ts$/, '.js'));
const heavyPackages = (modules: string[]) => bundledSources(modules).filter((source) => /node_modules\/(zod|arquero|csv-parse|cli-progress)\//.test(source));

describe('the churnkit command line', () => {
  it('answers --version and --help without importing any command or its dependencies', () => {
    for (const args of [['--version'], ['--help']]) {
      const run = importsOf(args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.modules.some((url) => url.endsWith('/dist/cli/churnkit.js'))).toBe(true);
      expect(commandModules(run.modules), args.join(' ')).toEqual([]);
      expect(heavyPackages(run.modules), args.join(' ')).toEqual([]);
    }
  });

  it('imports only the command it runs', () => {
    const run = importsOf(['bgnbd', '--help']);
    expect(run.status).toBe(0);
    expect(commandModules(run.modules)).toEqual(['bgnbd.js']);
  });

  it("no command needs the Express plugin's peers (express, prom-client): an installed CLI runs without them", () => {
    const names = [...runCli(['--help'], dir).stdout.matchAll(/^ {2}(\w+)(?= )/gm)].map(([, name]) => name!).filter((name) => name !== 'help');
    expect(names).toContain('simulate');
    for (const name of names) {
      const run = importsOf([name, '--help']);
      expect(run.status, name).toBe(0);
      expect(run.modules.filter((url) => /\/node_modules\/(express|prom-client)\//.test(url)), name).toEqual([]);
    }
  });

  it('lists every command in --help with the description its own --help gives', () => {
    const listing = runCli(['--help'], dir).stdout;
    const names = [...listing.matchAll(/^ {2}(\w+)(?= )/gm)].map(([, name]) => name!).filter((name) => name !== 'help');
    // Other commands may join the table in main.ts; these are there from the start.
    expect(names).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'cv', 'features', 'generate', 'bgnbd']));
    // Commander wraps long lines of the listing: compare with runs of white space as one space.
    const words = (text: string) => text.replace(/\s+/g, ' ');
    for (const name of names) {
      const own = runCli([name, '--help'], dir);
      expect(own.status, name).toBe(0);
      const description = own.stdout.split('\n')[2]!;
      expect(description.length, name).toBeGreaterThan(10);
      expect(words(listing), name).toContain(` ${name} ${words(description)} `);
    }
  });

  it('fails with exit 2 and the list of commands on an unknown command, even with --help after it', () => {
    for (const args of [['nosuch'], ['nosuch', '--help'], ['help', 'nosuch'], ['--quiet', 'nosuch', '--events', 'x.csv']]) {
      const run = runCli(args, dir);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^error: unknown command 'nosuch' \(the commands are train, eval, predict, cv, [\w, ]+; see churnkit --help\)$/m);
      expect(run.stdout, args.join(' ')).toBe('');
    }
  });

  it('refuses, with exit 2 and before reading anything, an option given twice with two values; repeatable and variadic ones, and a flag said twice, are fine', () => {
    for (const [args, option, values] of [
      [['train', '--data', 'train.csv', '--target', 'Churn', '--out', 'a.json', '--data', 'test.csv'], '--data <csv>', "'train.csv' and 'test.csv'"],
      [['eval', '--model', 'm.json', '--data', 'x.csv', '--target', 'Churn', '--target=Left'], '--target <column>', "'Churn' and 'Left'"],
      [['cv', '--data', 'x.csv', '--target', 'Churn', '--model', 'logreg', '--model', 'mlp'], '--model <kind>', "'logreg' and 'mlp'"],
    ] as const) {
      const run = runCli(args, dir);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`^error: option '${option}' given twice, as ${values}: give it once$`, 'm'));
    }
    // Past the option parsing each of these reaches the files, which do not exist: exit 1, not 2.
    for (const args of [
      ['report', '--model', 'm.json', '--data', 'x.csv', '--segment', 'Gender', '--segment', 'City', '--json'],
      ['eval', '--model', 'm.json', '--data', 'x.csv', '--json', '--json'],
      ['simulate', '--store', 'new.sqlite', '--compare', 'oracle', 'foresight', '--model', 'm.json'],
    ]) {
      const run = runCli(args, dir);
      expect(run.stderr, args.join(' ')).toContain(`churnkit: ${join(dir, 'm.json')}: model file not found\n`);
      expect(run.status, args.join(' ')).toBe(1);
    }
  });

  it('ends quietly, exit 0, when the reader of its output goes away (churnkit report --help | head -1)', async () => {
    requireFreshCli();
    for (const args of [['report', '--help'], ['predict', '--help']]) {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      // Closed before the CLI has started: its first write meets a pipe with no reader (EPIPE).
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(status, args.join(' ')).toBe(0);
    }
  });
});
