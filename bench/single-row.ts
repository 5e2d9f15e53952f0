/**
 * Single-row latency: one fresh input per call (pre-generated distinct items, cycled), the
 * probability read back as a JS number. One call can be shorter than the clock's resolution,
 * so calls are timed in blocks with `process.hrtime.bigint()` and each block gives one sample:
 * its mean time per call. Contestants take turns block by block (A B A B …), so a machine
 * that changes speed mid-round slows every contestant alike; p50/p99 are over a round's
 * block samples. A contestant is timed through a `BlockTimer`, in this process or in one of
 * its own (isolated-timer.ts).
 */
import { EngineError } from '../src/errors.js';
import { quantile } from './stats.js';
import { seededRows, type Workload } from './workloads.js';

/** Anything that scores one item per call: a loaded network (rows), a model (raw records). */
export type SingleScorer<Item> =
  | { readonly mode: 'sync'; predictOne(item: Item): number }
  | { readonly mode: 'async'; predictOne(item: Item): Promise<number> };

export interface Contestant<Item> {
  readonly id: string;
  readonly scorer: SingleScorer<Item>;
  readonly items: readonly Item[];
  /** Called before each of its blocks (tfjs backends share global state). */
  readonly activate: () => Promise<void>;
}

export interface SingleRowPlan {
  /** Blocks timed per contestant per round; each block is one latency sample. */
  readonly blocks: number;
  /** Aim for blocks this long, so timer overhead (≈50 ns) stays negligible. */
  readonly targetBlockNs: number;
  /** Calls made before timing, so the JIT and every cache are warm. */
  readonly warmupCalls: number;
}

/**
 * Times series of calls of one contestant, each from where the previous series stopped (so
 * items are never repeated back to back): in this process (`inProcessTimer`) or in a
 * process of its own (isolated-timer.ts).
 */
export interface BlockTimer {
  readonly id: string;
  /** Nanoseconds for `calls` consecutive calls, each on a fresh item. */
  time(calls: number): Promise<number>;
}

/** Per contestant: one p50 and one p99 per round, and the block size it was timed with. */
export interface SingleRowRounds {
  readonly p50Ns: number[];
  readonly p99Ns: number[];
  readonly callsPerBlock: number;
}

const MAX_CALLS_PER_BLOCK = 1000;
const MIN_CALLS_PER_BLOCK = 10;
const CALIBRATION_CALLS = 64;

export async function measureSingleRowRounds(timers: readonly BlockTimer[], plan: SingleRowPlan, rounds: number, onRound?: (round: number, p50NsById: Map<string, number>) => void): Promise<Map<string, SingleRowRounds>> {
  const results = new Map<string, SingleRowRounds>();
  for (const timer of timers) {
    await timer.time(plan.warmupCalls);
    const perCall = (await timer.time(CALIBRATION_CALLS)) / CALIBRATION_CALLS;
    const callsPerBlock = Math.min(MAX_CALLS_PER_BLOCK, Math.max(MIN_CALLS_PER_BLOCK, Math.ceil(plan.targetBlockNs / Math.max(1, perCall))));
    results.set(timer.id, { p50Ns: [], p99Ns: [], callsPerBlock });
  }
  for (let round = 1; round <= rounds; round++) {
    const samples = new Map(timers.map((timer) => [timer.id, [] as number[]]));
    for (let block = 0; block < plan.blocks; block++) {
      // Who goes first rotates: whatever one backend leaves behind (garbage for the collector,
      // evicted caches) falls on each of the others in turn, not always on the same one.
      for (let turn = 0; turn < timers.length; turn++) {
        const timer = timers[(block + turn) % timers.length]!;
        const { callsPerBlock } = results.get(timer.id)!;
        // Untimed settling calls, so the block measures this backend's steady state.
        await timer.time(Math.ceil(callsPerBlock / 4));
        samples.get(timer.id)!.push((await timer.time(callsPerBlock)) / callsPerBlock);
      }
    }
    const p50NsById = new Map<string, number>();
    for (const timer of timers) {
      const blockSamples = samples.get(timer.id)!;
      p50NsById.set(timer.id, quantile(blockSamples, 0.5));
      results.get(timer.id)!.p50Ns.push(quantile(blockSamples, 0.5));
      results.get(timer.id)!.p99Ns.push(quantile(blockSamples, 0.99));
    }
    onRound?.(round, p50NsById);
  }
  return results;
}

/** Times `contestant` in this process, activating it before each series of calls. */
export function inProcessTimer<Item>(contestant: Contestant<Item>): BlockTimer {
  let cursor = 0;
  return {
    id: contestant.id,
    async time(calls) {
      await contestant.activate();
      const elapsed = await timeCalls(contestant, calls, cursor);
      cursor = (cursor + calls) % contestant.items.length;
      return elapsed;
    },
  };
}

/** A timing loop: nanoseconds for `calls` calls from item `cursor`, and the sum of the results. */
type TimingLoop = (scorer: SingleScorer<unknown>, items: readonly unknown[], calls: number, cursor: number) => Promise<[number, number]>;

const loops = new WeakMap<object, TimingLoop>();
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as FunctionConstructor;

/**
 * Each contestant is timed by its own copy of the loop, compiled from source, so its call
 * site has feedback of its own, as in an application that scores with one model. Several
 * contestants timed in one process (raw-record) would otherwise share one call site: past
 * four targets V8 makes it megamorphic, and a call into WebAssembly then takes the generic
 * JS-to-Wasm wrapper instead of the one inlined into the caller. Copies of one closure would
 * not do: V8 shares feedback between closures of the same function literal.
 */
function loopFor(contestant: Contestant<unknown>): TimingLoop {
  let loop = loops.get(contestant);
  if (loop === undefined) {
    const call = contestant.scorer.mode === 'sync' ? 'scorer.predictOne(items[index])' : 'await scorer.predictOne(items[index])';
    loop = new AsyncFunction(
      'scorer',
      'items',
      'calls',
      'cursor',
      `// timing loop for ${JSON.stringify(contestant.id)}
      let sum = 0;
      let index = cursor;
      const start = process.hrtime.bigint();
      for (let call = 0; call < calls; call++) {
        sum += ${call};
        if (++index === items.length) index = 0;
      }
      return [Number(process.hrtime.bigint() - start), sum];`,
    ) as TimingLoop;
    loops.set(contestant, loop);
  }
  return loop;
}

/** Nanoseconds for `calls` calls starting at item `cursor`; results are summed so none is dead code. */
async function timeCalls<Item>(contestant: Contestant<Item>, calls: number, cursor: number): Promise<number> {
  const [elapsed, sum] = await loopFor(contestant as Contestant<unknown>)(contestant.scorer as SingleScorer<unknown>, contestant.items, calls, cursor);
  if (sum !== sum) throw new EngineError('BENCH_OUTPUT', 'a backend returned NaN during timing');
  return elapsed;
}

/** Distinct single-row inputs per workload: enough that no cache holds one row's answer. */
const DISTINCT_SINGLE_ROWS = 4096;

/** The single-row inputs of `workload`, the same rows in every process. */
export function singleRowItems(workload: Workload): Float32Array[] {
  return rowViews(seededRows(DISTINCT_SINGLE_ROWS, workload.shape.inputs, 11), workload.shape.inputs);
}

/** Distinct rows as ready-made views, so the timed loop allocates nothing of its own. */
function rowViews(matrix: Float32Array, inputs: number): Float32Array[] {
  const views: Float32Array[] = [];
  for (let offset = 0; offset + inputs <= matrix.length; offset += inputs) views.push(matrix.subarray(offset, offset + inputs));
  return views;
}
