/**
 * One single-row contestant in a process of its own, driven by isolated-timer.ts over IPC:
 * it loads one backend and one workload's network, checks its first probabilities against
 * the float64 reference, then answers each `{ calls }` message with the nanoseconds those
 * calls took. Nothing else runs in the process, so no other library's JIT feedback, heap or
 * garbage collection is in its timings.
 *
 * Usage (by isolated-timer.ts only): fork('dist/bench/single-row-child.js', [backendId, workloadId])
 */
import { EngineError } from '../src/errors.js';
import type { BackendId } from './peers/backend.js';
import { createBackend, isBackendId } from './peers/registry.js';
import { inProcessTimer, singleRowItems } from './single-row.js';
import { benchWorkloads, referenceProbability } from './workloads.js';

/** What the child says: ready (with its check), a block's time, or why it cannot go on. */
export type ChildMessage = { ready: true } | { elapsedNs: number } | { error: string };
/** What the parent asks: time this many calls. */
export interface TimeRequest {
  calls: number;
}

/** Probabilities compared with the reference before any timing, and how close they must be. */
const CHECKED_ROWS = 16;
const TOLERANCE = 1e-5;

async function start(backendId: BackendId, workloadId: string): Promise<void> {
  const workload = benchWorkloads().find((candidate) => candidate.id === workloadId);
  if (workload === undefined) throw new EngineError('BENCH_OPTIONS', `single-row child: unknown workload "${workloadId}"`);
  const backend = createBackend(backendId);
  await backend.activate();
  const network = await backend.load(workload.shape, workload.parameters, { maxBatch: 1 });
  const items = singleRowItems(workload);
  for (const row of items.slice(0, CHECKED_ROWS)) {
    const actual = network.mode === 'sync' ? network.predictOne(row) : await network.predictOne(row);
    const expected = referenceProbability(workload.shape, workload.parameters, row);
    if (!(Math.abs(actual - expected) <= TOLERANCE)) {
      throw new EngineError('BENCH_PARITY', `${backendId} on ${workloadId} in its own process: probability ${actual}, expected ${expected} within ${TOLERANCE}`);
    }
  }
  const timer = inProcessTimer({ id: `${workloadId}/${backendId}`, scorer: network, items, activate: () => backend.activate() });
  // One request at a time: the parent waits for each answer before it sends the next.
  process.on('message', (request: TimeRequest) => {
    timer.time(request.calls).then(
      (elapsedNs) => send({ elapsedNs }),
      (error: unknown) => send({ error: (error as Error).message }),
    );
  });
  // The parent gone (finished, or killed), this process has nothing left to do.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}

function send(message: ChildMessage): void {
  process.send!(message);
}

const [backendId, workloadId] = process.argv.slice(2);
if (process.send === undefined || !backendId || !isBackendId(backendId) || !workloadId) {
  process.stderr.write('single-row-child: run by isolated-timer.ts (fork with an IPC channel), with a backend id and a workload id\n');
  process.exit(2);
}
start(backendId, workloadId).catch((error: unknown) => {
  send({ error: (error as Error).message });
  process.disconnect();
});
