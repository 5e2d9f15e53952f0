/**
 * How the fuzz suite runs its properties (docs/testing.md, "Fuzzing"): fast-check with a fixed
 * seed, so `npm test` sees the same cases every run and a failure replays exactly; knobs to run
 * more, or another seed; and, for every target, the number of cases run and the slowest one —
 * the bound on how long a call of that kind can block the event loop.
 *
 * - `CHURNKIT_FUZZ_SEED` (default 20261202): the seed. A failure prints it with the path of the
 *   shrunk counterexample; `CHURNKIT_FUZZ_SEED=<seed> CHURNKIT_FUZZ_PATH=<path>` replays that case.
 * - `CHURNKIT_FUZZ_SCALE` (default 1): multiplies every target's case count (10 for a long run).
 * - `CHURNKIT_FUZZ_TALLIES` (default none): a file every target's tally is appended to (JSON lines).
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ChurnkitError } from '../../src/errors.js';

export const FUZZ_SEED = Number(process.env.CHURNKIT_FUZZ_SEED ?? 20261202);
export const FUZZ_SCALE = Number(process.env.CHURNKIT_FUZZ_SCALE ?? 1);
const FUZZ_PATH = process.env.CHURNKIT_FUZZ_PATH;

/**
 * No single case may take more CPU time than this: so no call of a fuzzed kind, on inputs of the
 * stated sizes, blocks the event loop longer. Counted in CPU time, not wall clock, because a
 * busy machine stretches wall-clock time without any more work being done (a case that took
 * 312 ms alone took 1,087 ms at load average 18); generous on purpose: it catches a freeze, not
 * a slowdown.
 */
export const CASE_BOUND_MS = 1_000;

/** What one fuzz target ran: reported by `reportTallies` and in docs/testing.md. */
export interface FuzzTally {
  target: string;
  cases: number;
  slowestCaseMs: number;
  /** CPU time of the slowest case (user + system): what CASE_BOUND_MS bounds. */
  slowestCaseCpuMs: number;
  /** Longest event-loop delay seen while the target ran (perf_hooks, 10 ms resolution). */
  longestLoopDelayMs: number;
}

const tallies: FuzzTally[] = [];

/** `base` cases, scaled by CHURNKIT_FUZZ_SCALE. */
export function cases(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_SCALE));
}

/**
 * Runs `check` on `cases(base)` generated inputs; fails (printing seed and counterexample) when
 * a case throws or fails an assertion, or when the slowest case took CASE_BOUND_MS or more.
 *
 * @example
 * ```ts
 * await fuzz('CSV reader', 1_000, [fc.string()], async (text) => { ... });
 * ```
 */
export async function fuzz<Ts extends [unknown, ...unknown[]]>(
  target: string,
  base: number,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  check: (...inputs: Ts) => void | Promise<void>,
): Promise<FuzzTally> {
  const tally: FuzzTally = { target, cases: 0, slowestCaseMs: 0, slowestCaseCpuMs: 0, longestLoopDelayMs: 0 };
  const timed = async (...inputs: Ts) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await check(...inputs);
    const cpu = process.cpuUsage(cpuBefore);
    tally.slowestCaseMs = Math.max(tally.slowestCaseMs, performance.now() - started);
    tally.slowestCaseCpuMs = Math.max(tally.slowestCaseCpuMs, (cpu.user + cpu.system) / 1000);
    tally.cases++;
    // Let the loop turn between cases, so the delay monitor sees each case as one block.
    await new Promise(setImmediate);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  try {
    await fc.assert(fc.asyncProperty(...arbitraries, timed), {
      seed: FUZZ_SEED,
      numRuns: cases(base),
      ...(FUZZ_PATH === undefined ? {} : { path: FUZZ_PATH }),
    });
  } finally {
    loop.disable();
  }
  tally.longestLoopDelayMs = loop.max / 1e6;
  tallies.push(tally);
  expect(tally.slowestCaseCpuMs, `${target}: CPU time of the slowest case`).toBeLessThan(CASE_BOUND_MS);
  return tally;
}

/** Throws `error` again unless it is one of churnkit's typed errors (what every property allows). */
export function expectTypedError(error: unknown): void {
  if (!(error instanceof ChurnkitError)) throw error;
}

/**
 * Prints the tallies of this file's targets (the figures docs/testing.md quotes) and, when
 * `CHURNKIT_FUZZ_TALLIES` names a file, appends them to it as JSON lines: what
 * `npm run bench:fuzz` gathers into bench/RESULTS.md's "Reliability" section.
 */
export function reportTallies(): void {
  for (const { target, cases: count, slowestCaseMs, slowestCaseCpuMs, longestLoopDelayMs } of tallies) {
    console.info(`fuzz: ${target}: ${count} cases, slowest ${slowestCaseMs.toFixed(1)} ms (${slowestCaseCpuMs.toFixed(1)} ms CPU), longest event-loop delay ${longestLoopDelayMs.toFixed(1)} ms (seed ${FUZZ_SEED})`);
  }
  const file = process.env.CHURNKIT_FUZZ_TALLIES;
  if (file) appendFileSync(file, tallies.map((tally) => `${JSON.stringify({ ...tally, seed: FUZZ_SEED, scale: FUZZ_SCALE })}\n`).join(''));
}

/** Float32 values a hostile caller sends: NaN, infinities, the float32 extremes, subnormals, -0, the clamp limit and around it. */
export const hostileFloat: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754942106924411e-38, -0, 0, 1e9, -1e9, 1.0000001e9, 1e30, -1e30),
  fc.float({ noDefaultInfinity: false, noNaN: false }),
  fc.double({ min: -10, max: 10, noNaN: true }),
);
