/**
 * Progress on stderr for the long commands: a bar on a terminal (the CLI run under
 * `script`, which gives it a pseudo-terminal, as a person at a shell would), nothing when
 * stderr is piped (CI logs, `2> log.txt`) or with --quiet.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeTempDir, runCli } from './run-cli.js';

const SCRIPT = '/usr/bin/script';
const dir = makeTempDir();

/** Runs `churnkit <args>` on a pseudo-terminal; the terminal's output (stdout and stderr together). */
function runOnTerminal(args: readonly string[]): { status: number; output: string } {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status ?? -1, output: result.stdout };
}

/** A log of several read buffers (about 1 MB each): 1,000 customers over 100 days. */
beforeAll(() => {
  const run = runCli(['generate', '--customers', '1000', '--days', '100', '--seed', '4', '--start', '2025-01-01', '--out', 'events.csv'], dir);
  if (run.status !== 0) throw new Error(run.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FEATURES = ['features', '--events', 'events.csv', '--as-of', '2025-03-01', '--horizon', '20d', '--out', 'features.csv'];
// A hundred days of a generated store are too little repeat buying for a proper BG/NBD fit
// (a runs off to its limit); progress is what is tested here, so the poor fit is accepted.
const BGNBD = ['bgnbd', '--events', 'events.csv', '--as-of', '2025-03-01', '--accept-poor-fit'];

describe.skipIf(!existsSync(SCRIPT))('progress of features and bgnbd (needs util-linux script for a terminal)', () => {
  it('features shows a bar over the bytes read, then the feature step, then clears them for its summary', () => {
    const run = runOnTerminal(FEATURES);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/reading events \[[█░]+\] [\d.]+\/[\d.]+ MB 100%/);
    expect(run.output).toMatch(/computing features for \d+ customers…\r\x1b\[K/);
    expect(run.output).toMatch(/eligible customers, churn rate/);
  });

  it('bgnbd shows a bar over the orders read and the fit step', () => {
    const run = runOnTerminal(BGNBD);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/reading orders \[[█░]+\] [\d.]+\/[\d.]+ MB 100%/);
    expect(run.output).toMatch(/fitting BG\/NBD to \d+ customers…/);
    expect(run.output).toMatch(/BG\/NBD fit on \d+ customers/);
  });

  it('shows nothing with --quiet, before or after the command', () => {
    for (const args of [['--quiet', ...FEATURES], [...BGNBD, '--quiet']]) {
      const run = runOnTerminal(args);
      expect(run.status, run.output).toBe(0);
      expect(run.output, args.join(' ')).not.toMatch(/reading|computing|fitting|\r(?!\n)/); // a terminal ends lines with \r\n
    }
  });
});

describe('progress when stderr is not a terminal', () => {
  it('features and bgnbd write only their summary lines', () => {
    for (const args of [FEATURES, BGNBD]) {
      const run = runCli(args, dir);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr, args[0]).not.toMatch(/reading|computing|fitting|\r|\x1b/);
    }
  });
});
