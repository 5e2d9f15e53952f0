/**
 * A real, throwaway redis-server for tests: a free loopback port, its own temp directory
 * (snapshots, the append-only file), killed when the test file ends.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchRedisServer } from '../../../bench/redis-server.js';

export { freePort, hasRedisServer } from '../../../bench/redis-server.js';

export interface TestRedisOptions {
  /** `appendonly yes` + `appendfsync always`: every acknowledged write is on disk first. Default off (in memory only). */
  durable?: boolean;
  /** Reuse this directory and port (a restart after a kill). */
  dir?: string;
  port?: number;
}

export interface RunningRedis {
  url: string;
  port: number;
  /** The server's directory: `dump.rdb` after SAVE, the append-only files when durable. */
  dir: string;
  /** kill -9 the server (its directory stays, for a restart). */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its connections open and answers nothing, as a wedged or swapped-out Redis does. */
  pause(): void;
  /** SIGCONT after `pause`: it answers what it was sent meanwhile. */
  resume(): void;
  /** kill -9 the server and remove its directory. */
  stop(): Promise<void>;
}

export async function startRedisServer(options: TestRedisOptions = {}): Promise<RunningRedis> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'churnkit-redis-'));
  const { url, port, child } = await launchRedisServer({ dir, port: options.port, durable: options.durable });
  const kill = () => killHard(child);
  return {
    url,
    port,
    dir,
    kill,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
