/**
 * The SQLite writer thread's CPU comes second to the storefront's event loop. On a machine or
 * container with few cores, the writer (encoding customer states, committing a backlog the
 * moment another process releases the write lock) and the event loop compete for one core,
 * and the scheduler would share it evenly: each product page behind a busy writer waits for
 * its time slice. At a lower priority the writer runs on whatever the loop leaves, and a page
 * request preempts it at once.
 *
 * Linux only: there `setpriority(PRIO_PROCESS, 0)` sets the calling thread's nice value. On
 * macOS and Windows the same call lowers the whole process, the event loop with it, so it is
 * not made there.
 */
import { setPriority } from 'node:os';

/**
 * The writer's nice value: it gets about a tenth of a core while the event loop is busy
 * (Linux weights 110 against 1024), all of it while the loop waits.
 */
export const WRITER_NICE = 10;

/** Lowers the calling thread's priority to `nice` where that stays per thread; returns whether it did. */
export function lowerThreadPriority(nice: number, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    // A sandbox that forbids setpriority: the writer runs at the loop's priority, as before.
    return false;
  }
}
