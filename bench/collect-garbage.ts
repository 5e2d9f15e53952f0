/**
 * A full garbage collection between contestants' turns, so no contestant pays for
 * another's garbage. Without it, the heap that tfjs builds (tensors on every call) keeps
 * V8's concurrent marker busy on the other core while the next backend is timed: that
 * alone moved churnkit's LR single-row call from about 45 ns to about 100 ns, while a
 * plain-JS loop barely changed. Garbage a backend makes during its own turn is still
 * collected during its own turn, and counted in its time.
 *
 * `gc` is exposed at run time (the flag, then the function from a fresh context), so
 * `npm run bench` needs no `--expose-gc` on its command line.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects everything collectable now (both generations), then returns. */
export function collectGarbage(): void {
  gc();
}
