/**
 * A run stopped part-way (Ctrl-C, `kill`, a failure) leaves nothing behind: not its output,
 * not a temporary file, not a half-built store that the next run would refuse.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, makeTempDir, runCli, writeCustomers } from './run-cli.js';
import { requireFreshCli } from '../support/fresh-build.js';

const dir = makeTempDir();
/** The runs' TMPDIR, where simulate makes its scratch folder: empty once a run ends, however it ends. */
const scratch = join(dir, 'tmp');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Stopped {
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts `churnkit <args>`, waits until a file whose name starts with `prefix` appears in `dir`, sends `signal`, and waits for the end. */
async function stopWhenWriting(args: readonly string[], prefix: string, signal: NodeJS.Signals): Promise<Stopped> {
  requireFreshCli();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore', env: { ...process.env, TMPDIR: scratch } });
  const ended = new Promise<Stopped>((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })));
  let exited = false;
  void ended.then(() => (exited = true));
  while (!exited && !readdirSync(dir).some((name) => name.startsWith(prefix))) await new Promise((resolve) => setTimeout(resolve, 10));
  child.kill(signal);
  return ended;
}

function leftBehind(prefix: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(prefix));
}

describe('a run stopped part-way', { timeout: 120_000 }, () => {
  beforeAll(() => {
    writeCustomers(join(dir, 'customers.csv'), 160);
    const trained = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', '--model', 'logreg', '--epochs', '5', '--out', 'model.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
    // A named pipe nobody writes to: predict opens its output, then waits on its input for ever.
    execFileSync('mkfifo', [join(dir, 'customers.fifo')]);
    mkdirSync(scratch);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('predict stopped by %s removes its temporary output and dies of the signal', async (signal) => {
    const stopped = await stopWhenWriting(['predict', '--model', 'model.json', '--data', 'customers.fifo', '--out', 'scores.csv'], 'scores.csv', signal);
    expect(stopped).toEqual({ status: null, signal });
    expect(leftBehind('scores.csv')).toEqual([]);
  });

  it('simulate stopped by Ctrl-C leaves no store, no temporary store and no scratch folder; the same command then runs', async () => {
    const args = ['simulate', '--store', 'sim.sqlite', '--customers', '2000', '--days', '10'];
    const stopped = await stopWhenWriting(args, 'sim.sqlite', 'SIGINT');
    expect(stopped).toEqual({ status: null, signal: 'SIGINT' });
    expect(leftBehind('sim.sqlite')).toEqual([]);
    expect(readdirSync(scratch)).toEqual([]);
    const rerun = runCli([...args.slice(0, 3), '--customers', '200', '--days', '2', '--warmup-days', '10', '--horizon', '5'], dir);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(leftBehind('sim.sqlite')).toEqual(['sim.sqlite']);
  });

  it('simulate with a --start that is no calendar day fails at once and creates no store', () => {
    const run = runCli(['simulate', '--store', 'bad-start.sqlite', '--start', '2025-02-30', '--customers', '50'], dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/2025-02-30/);
    expect(leftBehind('bad-start.sqlite')).toEqual([]);
    expect(existsSync(join(dir, 'bad-start.sqlite'))).toBe(false);
  });
});
