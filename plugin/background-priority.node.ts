/**
 * Background work comes second to the storefront's event loop for the CPU: the SQLite writer
 * thread (encoding customer states, committing a backlog the moment another process releases
 * the write lock) and the scheduled retraining's child process. On a machine or container
 * with few cores they compete with the event loop for one core, and the scheduler would share
 * it evenly: each product page behind them would wait for its time slice. At a lower
 * priority they run on whatever the loop leaves, and a page request preempts them.
 */
import { getPriority, setPriority } from 'node:os';

/**
 * How far below the storefront the background runs, in nice steps: it gets about a tenth of
 * a core while the event loop is busy (Linux weights 110 against 1024), all of it while the
 * loop waits. Counted from the storefront's own nice value, so a storefront an operator
 * already runs at nice 5 keeps its background below it.
 */
export const BACKGROUND_NICE = 10;
/** The lowest priority there is (the highest nice value). */
const LOWEST_PRIORITY_NICE = 19;

/** The nice value `BACKGROUND_NICE` steps below the storefront's event loop (this process's main thread). */
export function backgroundNice(): number {
  return Math.min(LOWEST_PRIORITY_NICE, getPriority(process.pid) + BACKGROUND_NICE);
}

/** Lowers another process's priority (a child the storefront started); false where that is not permitted. */
export function lowerProcessPriority(pid: number, nice: number = backgroundNice()): boolean {
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    // Not permitted on this platform or container: it runs at the storefront's priority.
    return false;
  }
}

/**
 * Lowers the calling thread's priority to `nice` where that stays per thread; returns whether
 * it did. Linux only: there `setpriority(PRIO_PROCESS, 0)` sets the calling thread's nice
 * value. On macOS and Windows the same call lowers the whole process, the event loop with it,
 * so it is not made there.
 */
export function lowerThreadPriority(nice: number = backgroundNice(), platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && lowerProcessPriority(0, nice);
}
