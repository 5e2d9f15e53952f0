import { rmSync } from 'node:fs';

/**
 * The temporary files and folders this process is writing (an atomic write's `.tmp-` file, a
 * store being built), so that a run stopped by Ctrl-C or `kill` leaves none of them behind:
 * a half-written 200 MB `scores.csv.tmp-…`, or a store a rerun would refuse as existing.
 *
 * Nothing happens on a signal unless `removeTemporariesOnSignals` was called: a command line
 * wants it, while a server has its own shutdown and keeps its signals. Even then the handlers
 * are installed only while a temporary is pending: a handler delays a signal until the event
 * loop is free, and a long synchronous step (training) must still stop at once on Ctrl-C.
 */

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const pending = new Set<string>();
let removingOnSignals = false;

/** From now on, SIGINT, SIGTERM and SIGHUP remove the pending temporaries before the process dies of them. */
export function removeTemporariesOnSignals(): void {
  removingOnSignals = true;
  if (pending.size > 0) listen();
}

/**
 * Records `path` (a file, or a folder removed with its contents) as pending until the returned
 * function is called: once it is renamed into place, or removed.
 *
 * @example
 * const settled = trackTemporary(temporary);
 * try { await write(temporary); await rename(temporary, file); } finally { settled(); }
 */
export function trackTemporary(path: string): () => void {
  pending.add(path);
  if (removingOnSignals && pending.size === 1) listen();
  return () => {
    if (pending.delete(path) && pending.size === 0) unlisten();
  };
}

function listen(): void {
  for (const signal of SIGNALS) process.on(signal, removeAndDie);
}

function unlisten(): void {
  for (const signal of SIGNALS) process.off(signal, removeAndDie);
}

/** Removes what is pending, then dies of the signal as if unhandled: the shell sees 128 + its number and stops a script. */
function removeAndDie(signal: NodeJS.Signals): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
  unlisten();
  process.kill(process.pid, signal);
}
