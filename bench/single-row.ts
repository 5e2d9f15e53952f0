/**
 * Single-row latency: one fresh input per call (pre-generated distinct items, cycled), the
 * probability read back as a JS number. One call can be shorter than the clock's resolution,
 * so calls are timed in blocks with `process.hrtime.bigint()` and each block gives one sample:
 * its mean time per call. Contestants take turns block by block (A B A B …), so a machine
 * that changes speed mid-round slows every contestant alike; p50/p99 are over a round's
 * block samples.
 */
import { EngineError } from '../src/errors.js';
import { ownCallSite } from './own-call-site.js';
import { quantile } from './stats.js';

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

/** Per contestant: one p50 and one p99 per round, and the block size it was timed with. */
export interface SingleRowRounds {
  readonly p50Ns: number[];
  readonly p99Ns: number[];
  readonly callsPerBlock: number;
}

const MAX_CALLS_PER_BLOCK = 1000;
const MIN_CALLS_PER_BLOCK = 10;

export async function measureSingleRowRounds<Item>(contestants: readonly Contestant<Item>[], plan: SingleRowPlan, rounds: number, onRound?: (round: number, p50NsById: Map<string, number>) => void): Promise<Map<string, SingleRowRounds>> {
  const results = new Map<string, SingleRowRounds>();
  /** Where each contestant's next call reads: items are never repeated back to back. */
  const cursors = new Map<string, number>();
  const calibrationCalls = 64;
  for (const contestant of contestants) {
    await contestant.activate();
    await timeCalls(contestant, plan.warmupCalls, 0);
    const perCall = (await timeCalls(contestant, calibrationCalls, plan.warmupCalls % contestant.items.length)) / calibrationCalls;
    const callsPerBlock = Math.min(MAX_CALLS_PER_BLOCK, Math.max(MIN_CALLS_PER_BLOCK, Math.ceil(plan.targetBlockNs / Math.max(1, perCall))));
    results.set(contestant.id, { p50Ns: [], p99Ns: [], callsPerBlock });
    cursors.set(contestant.id, (plan.warmupCalls + calibrationCalls) % contestant.items.length);
  }
  for (let round = 1; round <= rounds; round++) {
    const samples = new Map(contestants.map((contestant) => [contestant.id, [] as number[]]));
    for (let block = 0; block < plan.blocks; block++) {
      // Who goes first rotates: whatever one backend leaves behind (garbage for the collector,
      // evicted caches) falls on each of the others in turn, not always on the same one.
      for (let turn = 0; turn < contestants.length; turn++) {
        const contestant = contestants[(block + turn) % contestants.length]!;
        const { callsPerBlock } = results.get(contestant.id)!;
        await contestant.activate();
        // Untimed settling calls, so the block measures this backend's steady state.
        const settlingCalls = Math.ceil(callsPerBlock / 4);
        let cursor = cursors.get(contestant.id)!;
        await timeCalls(contestant, settlingCalls, cursor);
        cursor = (cursor + settlingCalls) % contestant.items.length;
        samples.get(contestant.id)!.push((await timeCalls(contestant, callsPerBlock, cursor)) / callsPerBlock);
        cursors.set(contestant.id, (cursor + callsPerBlock) % contestant.items.length);
      }
    }
    const p50NsById = new Map<string, number>();
    for (const contestant of contestants) {
      const blockSamples = samples.get(contestant.id)!;
      p50NsById.set(contestant.id, quantile(blockSamples, 0.5));
      results.get(contestant.id)!.p50Ns.push(quantile(blockSamples, 0.5));
      results.get(contestant.id)!.p99Ns.push(quantile(blockSamples, 0.99));
    }
    onRound?.(round, p50NsById);
  }
  return results;
}

/** A timing loop: nanoseconds for `calls` calls from item `cursor`, and the sum of the results. */
type TimingLoop = (scorer: SingleScorer<unknown>, items: readonly unknown[], calls: number, cursor: number) => Promise<[number, number]>;

const loops = new WeakMap<object, TimingLoop>();

/** Each contestant is timed by its own compiled copy of the loop (own-call-site.ts). */
function loopFor(contestant: Contestant<unknown>): TimingLoop {
  let loop = loops.get(contestant);
  if (loop === undefined) {
    const call = contestant.scorer.mode === 'sync' ? 'scorer.predictOne(items[index])' : 'await scorer.predictOne(items[index])';
    loop = ownCallSite<TimingLoop>(
      ['scorer', 'items', 'calls', 'cursor'],
      `// timing loop for ${JSON.stringify(contestant.id)}
      let sum = 0;
      let index = cursor;
      const start = process.hrtime.bigint();
      for (let call = 0; call < calls; call++) {
        sum += ${call};
        if (++index === items.length) index = 0;
      }
      return [Number(process.hrtime.bigint() - start), sum];`,
      { async: true },
    );
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

/** Distinct rows as ready-made views, so the timed loop allocates nothing of its own. */
export function rowViews(matrix: Float32Array, inputs: number): Float32Array[] {
  const views: Float32Array[] = [];
  for (let offset = 0; offset + inputs <= matrix.length; offset += inputs) views.push(matrix.subarray(offset, offset + inputs));
  return views;
}
