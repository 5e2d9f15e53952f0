/**
 * A throwaway redis-server on a free loopback port, for benches and tests: in memory, or
 * durable (`appendonly yes`, `appendfsync always`: every acknowledged write is on its disk),
 * in a directory of its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** True when a `redis-server` binary is on PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A loopback port nobody listens on (at the time of asking). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RedisServerOptions {
  /** Where its snapshot and append-only files go. */
  dir: string;
  /** Default: a free port. */
  port?: number;
  /** `appendonly yes` + `appendfsync always`. Default off (in memory only). */
  durable?: boolean;
  /** Starts the command line (e.g. pinned to a core with taskset). Default: spawn as it is. */
  launch?: (commandLine: string[]) => ChildProcess;
}

export interface StartedRedis {
  url: string;
  port: number;
  child: ChildProcess;
}

/** Starts redis-server and resolves once it accepts connections. */
export async function launchRedisServer(options: RedisServerOptions): Promise<StartedRedis> {
  const port = options.port ?? (await freePort());
  const persistence = options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const commandLine = ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', options.dir, '--save', '', '--rdbcompression', 'no', ...persistence];
  const child = options.launch ? options.launch(commandLine) : spawn(commandLine[0]!, commandLine.slice(1), { stdio: 'ignore' });
  for (let attempt = 0; attempt < 400; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answersPing(port)) return { url: `redis://127.0.0.1:${port}`, port, child };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not listen on port ${port}`);
}

/** True once the server answers PING with PONG: a restarted server accepts connections while it still loads its data (it answers LOADING then). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
