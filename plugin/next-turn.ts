/**
 * A later turn of the event loop: what long work on the main thread waits for between
 * chunks, so the requests that arrived meanwhile are served (`setImmediate`, or
 * `setTimeout(0)` where there is none).
 */

/** Runs `task` on a later turn of the event loop. */
export const later: (task: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (task) => (globalThis as unknown as { setImmediate(task: () => void): void }).setImmediate(task)
    : (task) => setTimeout(task, 0);

/**
 * Resolves on a later turn of the event loop.
 *
 * @example
 * for (const [index, event] of events.entries()) if (index % 5000 === 4999) await nextTurn();
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => later(resolve));
}
