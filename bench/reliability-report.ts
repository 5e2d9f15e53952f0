/**
 * bench/RESULTS.md's "Reliability" section (issue 11), assembled from measured inputs in
 * `bench/results/reliability/`, each written by the run that measured it, never by hand:
 *
 * - `fuzz.json`: cases per fuzz target (`npm run bench:fuzz`: the suites of test/fuzz with
 *   `CHURNKIT_FUZZ_TALLIES`);
 * - `model-swap-crash.json`: kill -9 during model swaps (`npm run bench:fuzz` runs
 *   test/plugin/model-persistence.test.ts with `CHURNKIT_RELIABILITY_DIR`);
 * - `soak-load.json`, `soak-mixed.json`, `soak-swaps.json`: load held with p99 under 50 ms,
 *   a million scores in sustained traffic mixed with events and attacks (statuses, events
 *   acknowledged and lost, the memory slope), 100 hot-swaps under load (`npm run bench:soak`,
 *   each phase alone with `--phases`: the machine is shared, a phase can be rerun when it is
 *   calm);
 * - `crash-<store>.json`: kill -9 rounds on a store, events acknowledged, lost and stored
 *   twice (test/plugin/store/kill-rounds.ts writes it when `CHURNKIT_RELIABILITY_DIR` is set;
 *   `npm run bench:fuzz` sets it).
 *
 * Writes `bench/results/reliability.json` and re-renders RESULTS.md (every other section is
 * rendered from its own results file, unchanged).
 *
 * @example
 *   npm run build:ts && npm run bench:reliability
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from './report.js';
import { machineInfo, resultsFolder, writeResults, type BenchResults, type Cell, type ResultsTable, type TargetResult } from './results-file.js';
import { fitSlope, median } from './stats.js';

/** Where the measured inputs live (a subfolder: report.ts renders only the top level). */
export function reliabilityInputs(): string {
  const folder = join(resultsFolder(), 'reliability');
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** One fuzz target's tally, as test/fuzz/fuzz.ts appends it. */
export interface FuzzTallyInput {
  target: string;
  cases: number;
  slowestCaseMs: number;
  longestLoopDelayMs: number;
  seed: number;
  scale: number;
}

export interface FuzzInput {
  measuredAt: string;
  command: string;
  tallies: FuzzTallyInput[];
  /** What vitest said: files and tests passed, failed. */
  outcome: string;
}

export interface ModelSwapCrashInput {
  measuredAt: string;
  rounds: number;
  /** Rounds after which the file held the last acknowledged model. */
  acknowledged: number;
  /** Rounds after which it held the model being swapped in when the process died. */
  inFlight: number;
  /** Rounds after which the file did not parse or verify (must be 0). */
  broken: number;
}

/**
 * What the stores' kill -9 test writes to `crash-<store>.json`. `lost` and `duplicated` count
 * acknowledged events missing after the restarts, or stored twice (the test fails on either,
 * so a written file says 0); `integrity` is what the store's check said after every round.
 */
export interface CrashSafetyInput {
  measuredAt: string;
  command: string;
  store: string;
  rounds: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  integrity: string;
  seconds: number;
  loadAverage: number;
}

export interface LoadStep {
  /** Concurrent connections (closed loop: each sends its next request when the last is answered). */
  connections: number;
  /** Requests served per second. */
  served: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** The machine's 1-minute load average at the end of the step. */
  loadAverage: number;
}

/** When and how a phase of `npm run bench:soak` was measured. */
export interface Measured {
  measuredAt: string;
  command: string;
  machineState: string;
}

/** `soak-load.json`: the rates held. */
export interface LoadInput extends Measured {
  /** Each route's steps (`stepSeconds` each) and the one that served most with p99 under the bound. */
  routes: { route: string; stepSeconds: number; steps: LoadStep[]; held: LoadStep | null }[];
}

/** Statuses answered, by code. */
export type StatusCounts = Record<string, number>;

/** `soak-mixed.json`: sustained traffic, normal and hostile, and memory over it. */
export interface MixedInput extends Measured {
  requests: number;
  scores: number;
  warmupScores: number;
  traffic: {
    scores: { sent: number; statuses: StatusCounts; unavailable: number };
    events: { sent: number; statuses: StatusCounts; acknowledged: number; lost: number; storedUnacknowledged: number };
    hostile: { name: string; sent: number; expected: number; statuses: StatusCounts }[];
    serverErrors: number;
    hostileAccepted: number;
    hostileUnexpected: number;
    connectionErrors: number;
    timeouts: number;
  };
  /** `heapTotal` and `external` (process.memoryUsage) were added after the first runs: absent in older files. */
  samples: { scores: number; loadAverage: number; heapUsed: number; heapTotal?: number; external?: number; rss: number; wasmBytes: number; networks: number }[];
  /** Least-squares slope after warm-up, bytes per 1,000 scores. */
  slopes: { heapUsed: number; rss: number; wasmBytes: number };
  seconds: number;
}

/** `soak-swaps.json`: hot-swaps under load. */
export interface SwapsInput extends Measured {
  swaps: number;
  responses: number;
  mismatches: number;
  non2xx: number;
  versionsSeen: number;
  networksAfter: number;
  seconds: number;
}

/** The bound on memory growth after warm-up: under 1 KB per 1,000 scores (a leak of one byte per score shows as 1,000). */
export const SLOPE_BOUND_BYTES_PER_1000 = 1_000;

type MemoryMeasure = 'heapUsed' | 'heapTotal' | 'external' | 'rss' | 'wasmBytes';
export const P99_BOUND_MS = 50;

function readInput<T>(name: string): T | undefined {
  const file = join(reliabilityInputs(), name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const mib = (bytes: number) => round1(bytes / 2 ** 20);

function measuredNote(what: string, input: Measured): string {
  return `${what}: measured ${input.measuredAt} by \`${input.command}\`; ${input.machineState}`;
}

/** The "Reliability" results from whatever inputs exist. */
export function reliabilityResults(): BenchResults {
  const fuzz = readInput<FuzzInput>('fuzz.json');
  const swapCrash = readInput<ModelSwapCrashInput>('model-swap-crash.json');
  const crashes = readdirSync(reliabilityInputs())
    .filter((file) => /^crash-.+\.json$/.test(file))
    .sort()
    .map((file) => readInput<CrashSafetyInput>(file)!);
  const load = readInput<LoadInput>('soak-load.json');
  const mixed = readInput<MixedInput>('soak-mixed.json');
  const swaps = readInput<SwapsInput>('soak-swaps.json');
  const tables: ResultsTable[] = [];
  const notes: string[] = [];
  const targets: TargetResult[] = [];

  if (fuzz) {
    const total = fuzz.tallies.reduce((sum, tally) => sum + tally.cases, 0);
    tables.push({
      title: `Property-based fuzzing: cases per target (seed ${fuzz.tallies[0]?.seed ?? '–'}, scale ${fuzz.tallies[0]?.scale ?? '–'}; ${total.toLocaleString('en-US')} cases)`,
      columns: ['target', 'cases', 'slowest case, ms', 'longest event-loop delay, ms'],
      rows: fuzz.tallies.map((tally): Cell[] => [tally.target, tally.cases, round1(tally.slowestCaseMs), round1(tally.longestLoopDelayMs)]),
    });
    notes.push(`Fuzzing measured ${fuzz.measuredAt} by \`${fuzz.command}\` (${fuzz.outcome}). Properties: only typed errors or the documented HTTP errors, never a 500 or a crash, never NaN or a probability outside [0, 1], a fixed record's or customer's score bit-identical before and after every case (docs/testing.md, "Fuzzing").`);
  } else {
    notes.push('Fuzzing: not measured yet (run `npm run bench:fuzz`).');
  }

  const crashRows: Cell[][] = [];
  for (const crash of crashes) {
    crashRows.push([`${crash.store}: events through POST /churn/events`, crash.rounds, crash.acknowledged, crash.lost, crash.duplicated, crash.integrity]);
    notes.push(`Crash rounds on ${crash.store}: measured ${crash.measuredAt} by \`${crash.command}\`, ${Math.round(crash.seconds)} s, load average ${crash.loadAverage.toFixed(1)} at the end (shared 2-core machine).`);
    targets.push({ name: `${crash.store}: acknowledged events lost or stored twice after kill -9`, measured: crash.lost + crash.duplicated, target: '0', met: crash.lost === 0 && crash.duplicated === 0 });
  }
  if (crashes.length === 0) {
    crashRows.push(['stores (SQLite, Redis with appendfsync always)', 'not measured yet', '–', '–', '–', '–']);
    notes.push('Store crash rounds: not measured yet (run `npm run bench:fuzz`: it runs the kill -9 tests, which write `crash-<store>.json`).');
  }
  if (swapCrash) {
    crashRows.push([`model file during PUT /churn/model (saveSwappedModel)`, swapCrash.rounds, `${swapCrash.acknowledged} old / ${swapCrash.inFlight} new`, '–', '–', `${swapCrash.broken} broken files`]);
    targets.push({ name: 'model swap under kill -9: broken model files', measured: swapCrash.broken, target: '0', met: swapCrash.broken === 0 });
  }
  tables.push({ title: 'Crash safety (kill -9)', columns: ['what', 'rounds', 'acknowledged', 'lost', 'stored twice', 'integrity'], rows: crashRows });

  if (load) {
    tables.push({
      title: `Load held with p99 under ${P99_BOUND_MS} ms (autocannon, closed loop, 1, 2, 4, … connections, ${load.routes[0]?.stepSeconds ?? '–'} s per step)`,
      columns: ['route', 'highest rate held, req/s', 'connections', 'p50 ms', 'p99 ms', 'steps (connections: req/s, p99 ms [load average])'],
      rows: load.routes.map((route): Cell[] => [
        route.route,
        route.held ? Math.round(route.held.served) : 'none held',
        route.held?.connections ?? '–',
        route.held?.p50Ms ?? '–',
        route.held?.p99Ms ?? '–',
        route.steps.map((step) => `${step.connections}: ${Math.round(step.served)}, ${step.p99Ms}${step.errors > 0 ? ` (${step.errors} errors)` : ''}${step.loadAverage === undefined ? '' : ` [load ${round1(step.loadAverage)}]`}`).join('; '),
      ]),
    });
    for (const route of load.routes.filter((candidate) => !candidate.route.startsWith('peer'))) {
      targets.push({ name: `${route.route}: req/s held with p99 < ${P99_BOUND_MS} ms`, measured: route.held ? Math.round(route.held.served) : null, target: `p99 < ${P99_BOUND_MS} ms`, met: route.held !== null });
    }
    notes.push(measuredNote('Load', load));
  } else {
    notes.push('Load: not measured yet (run `npm run bench:soak`).');
  }

  if (mixed) {
    const { traffic } = mixed;
    const statuses = (counts: StatusCounts) =>
      Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]) => `${status}×${count}`)
        .join(', ');
    const hostileSent = traffic.hostile.reduce((sum, attack) => sum + attack.sent, 0);
    tables.push({
      title: `Sustained traffic, normal and hostile mixed (${mixed.requests.toLocaleString('en-US')} requests over ${Math.round(mixed.seconds)} s, 10 connections)`,
      columns: ['traffic', 'sent', 'answered', 'must be'],
      rows: [
        ['POST /churn/score, returning customers (a quarter with request fields)', traffic.scores.sent, `${statuses(traffic.scores.statuses)}; ${traffic.scores.unavailable} failed open`, '200'],
        [`POST /churn/events, one event with an id (${traffic.events.acknowledged} acknowledged: ${traffic.events.lost} lost, ${traffic.events.storedUnacknowledged} stored unacknowledged)`, traffic.events.sent, statuses(traffic.events.statuses), '201, every acknowledged event stored once'],
        ...traffic.hostile.map((attack): Cell[] => [`attack: ${attack.name}`, attack.sent, statuses(attack.statuses), String(attack.expected)]),
      ],
    });
    targets.push({ name: 'mixed traffic: 5xx answers', measured: traffic.serverErrors, target: '0', met: traffic.serverErrors === 0 });
    targets.push({ name: 'mixed traffic: attacks accepted (2xx) or answered otherwise than documented', measured: traffic.hostileAccepted + traffic.hostileUnexpected, target: '0', met: traffic.hostileAccepted + traffic.hostileUnexpected === 0 });
    targets.push({ name: 'mixed traffic: acknowledged events lost', measured: traffic.events.lost, target: '0', met: traffic.events.lost === 0 });
    const steady = mixed.samples.filter((sample) => sample.scores >= mixed.warmupScores);
    const first = steady[0] ?? mixed.samples[0]!;
    const last = mixed.samples[mixed.samples.length - 1]!;
    const bounded = (slope: number) => (slope < SLOPE_BOUND_BYTES_PER_1000 ? 'met' : 'MISSED');
    // From the samples, not the stored slopes: the same fit, with its interval, for every results file.
    // NaN where a sample lacks the measure: its row is shown only when every sample has it.
    const value = (sample: MixedInput['samples'][number], key: MemoryMeasure) => sample[key] ?? NaN;
    const fit = (key: MemoryMeasure) => fitSlope(steady.map((sample) => ({ x: sample.scores / 1000, y: value(sample, key) })));
    const quarters = (key: MemoryMeasure) =>
      [0, 1, 2, 3].map((quarter) => mib(median(steady.slice(Math.floor((quarter * steady.length) / 4), Math.floor(((quarter + 1) * steady.length) / 4)).map((sample) => value(sample, key))))).join(' / ');
    const row = (name: string, key: MemoryMeasure): Cell[] => {
      const { slope, low, high } = fit(key);
      return [name, mib(value(first, key)), quarters(key), mib(value(last, key)), `${round1(slope)} (${round1(low)} to ${round1(high)})`, bounded(slope)];
    };
    tables.push({
      title: `Memory over ${mixed.scores.toLocaleString('en-US')} scores of that traffic (sampled every 5 s after a forced GC, the RSS 250 ms later when V8 has unmapped the pages it freed; slope by least squares after ${mixed.warmupScores.toLocaleString('en-US')} scores of warm-up)`,
      columns: ['measure', 'after warm-up, MiB', 'median by quarter of the rest, MiB', 'at the end, MiB', 'slope, bytes per 1,000 scores (95 % interval)', `bound (< ${SLOPE_BOUND_BYTES_PER_1000})`],
      rows: [
        row('V8 heap used', 'heapUsed'),
        ...(steady.every((sample) => sample.heapTotal !== undefined && sample.external !== undefined)
          ? [row('V8 heap reserved (heapTotal)', 'heapTotal'), row('memory outside the V8 heap (external)', 'external')]
          : []),
        row('resident set (RSS)', 'rss'),
        row('WebAssembly memory of live networks', 'wasmBytes'),
      ],
    });
    targets.push({ name: 'heap growth after warm-up, bytes per 1,000 scores', measured: round1(fit('heapUsed').slope), target: `< ${SLOPE_BOUND_BYTES_PER_1000}`, met: fit('heapUsed').slope < SLOPE_BOUND_BYTES_PER_1000 });
    targets.push({ name: 'RSS growth after warm-up, bytes per 1,000 scores', measured: round1(fit('rss').slope), target: `< ${SLOPE_BOUND_BYTES_PER_1000}`, met: fit('rss').slope < SLOPE_BOUND_BYTES_PER_1000 });
    const loads = mixed.samples.map((sample) => sample.loadAverage);
    notes.push(
      measuredNote(`Mixed traffic (${hostileSent.toLocaleString('en-US')} attacks of ${traffic.hostile.length} kinds, bench/hostile-traffic.ts; ${traffic.connectionErrors} connection errors, ${traffic.timeouts} timeouts; ${mixed.samples.length} memory samples, load average ${round1(Math.min(...loads))}–${round1(Math.max(...loads))} across them)`, mixed),
    );
  } else {
    notes.push('Mixed traffic and memory: not measured yet (run `npm run bench:soak`).');
  }

  if (swaps) {
    tables.push({
      title: 'Hot-swap under load: every answer checked against the probability its version gives',
      columns: ['swaps', 'answers checked', 'version/probability mismatches', 'non-2xx', 'versions seen in answers', 'networks alive after (GC)', 'seconds'],
      rows: [[swaps.swaps, swaps.responses, swaps.mismatches, swaps.non2xx, swaps.versionsSeen, swaps.networksAfter, round1(swaps.seconds)]],
    });
    targets.push({ name: "answers whose probability is not their modelVersion's", measured: swaps.mismatches + swaps.non2xx, target: '0', met: swaps.mismatches === 0 && swaps.non2xx === 0 });
    notes.push(measuredNote('Hot-swap under load', swaps));
  } else {
    notes.push('Hot-swap under load: not measured yet (run `npm run bench:soak`).');
  }

  return {
    name: 'reliability',
    title: 'Reliability',
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    tables,
    notes,
    targets,
  };
}

/** Writes results/reliability.json and re-renders RESULTS.md. */
export function writeReliability(): string {
  const file = writeResults(reliabilityResults());
  writeReport();
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`wrote ${writeReliability()} and bench/RESULTS.md\n`);
}
