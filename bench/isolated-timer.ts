/**
 * Block timers whose contestant runs in a process of its own (single-row-child.ts). The
 * parent sends one series of calls at a time and waits for its time, so contestants still
 * take turns A B A B, each alone on the CPU while timed; but no contestant shares V8's
 * JIT feedback, heap or garbage collector with another, as in an application that loads
 * one library. In one shared process a single-row call of 50–150 ns moved by up to 2x with
 * what the other libraries had left behind (see the "Isolation" note in RESULTS.md).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../src/errors.js';
import type { BackendId } from './peers/backend.js';
import type { BlockTimer } from './single-row.js';
import type { ChildMessage, TimeRequest } from './single-row-child.js';

export interface IsolatedTimer extends BlockTimer {
  /** Ends the child process. */
  close(): void;
}

/**
 * Starts `backendId` on workload `workloadId` in a child process; resolves once it has
 * loaded and passed its parity check.
 */
export function isolatedTimer(backendId: BackendId, workloadId: string): Promise<IsolatedTimer> {
  const id = `${workloadId}/${backendId}`;
  const child = fork(fileURLToPath(new URL('./single-row-child.js', import.meta.url)), [backendId, workloadId], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  /** The one request in flight (the child answers them in order, one at a time). */
  let waiting: { resolve: (message: ChildMessage) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    waiting?.reject(error);
    waiting = undefined;
  };
  child.on('message', (message: ChildMessage) => {
    const current = waiting;
    waiting = undefined;
    if ('error' in message) current?.reject(new EngineError('BENCH_CHILD', `${id}: ${message.error}`));
    else current?.resolve(message);
  });
  child.on('exit', (code, signal) => fail(new EngineError('BENCH_CHILD', `${id}: the timing process exited (${code ?? signal})`)));
  child.on('error', fail);
  const next = () => new Promise<ChildMessage>((resolve, reject) => (waiting = { resolve, reject }));
  const timer: IsolatedTimer = {
    id,
    async time(calls) {
      const answer = next();
      child.send({ calls } satisfies TimeRequest);
      const message = await answer;
      if (!('elapsedNs' in message)) throw new EngineError('BENCH_CHILD', `${id}: expected a block time, got ${JSON.stringify(message)}`);
      return message.elapsedNs;
    },
    close() {
      stop(child);
      fail(new EngineError('BENCH_CHILD', `${id}: the timing process was closed`));
    },
  };
  return next().then(
    () => timer,
    (error: unknown) => {
      stop(child);
      throw error;
    },
  );
}

function stop(child: ChildProcess): void {
  child.removeAllListeners('exit');
  child.kill();
}
