/**
 * Client and server on cores of their own: on Linux with taskset (util-linux) and two cores
 * or more, the server under test runs on one core and the load generator on another.
 * Unpinned, the scheduler may put the client and the server on the same core for a while.
 * Elsewhere nothing is pinned.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';

export const SERVER_CPU = '1';
export const CLIENT_CPU = '0';
export const canPin = process.platform === 'linux' && cpus().length >= 2 && spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

export function pinThisProcessToClientCpu(): void {
  if (canPin) spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', CLIENT_CPU, String(process.pid)], { stdio: 'ignore' });
}

/** A command on one core when pinning is possible. */
export function spawnOn(cpu: string, commandLine: string[], stdout: 'pipe' | 'inherit' | 'ignore', stdin: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  const [command, ...rest] = canPin ? ['taskset', '--cpu-list', cpu, ...commandLine] : commandLine;
  return spawn(command!, rest, { stdio: [stdin, stdout, 'inherit'] });
}
