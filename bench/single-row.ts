/**
 * Single-row latency: one fresh input per call (pre-generated distinct rows, cycled), the
 * probability read back as a JS number. One call can be shorter than the clock's resolution,
 * so calls are timed in blocks with `process.hrtime.bigint()` and each block gives one sample:
 * its mean time per call. p50/p99 are taken over those block samples.
 */
import { quantile } from './stats.js';

/** Anything that scores one item per call: a loaded network (rows), a model (raw records). */
export type SingleScorer<Item> =
  | { readonly mode: 'sync'; predictOne(item: Item): number }
  | { readonly mode: 'async'; predictOne(item: Item): Promise<number> };

export interface SingleRowPlan {
  /** Blocks timed per round; each block is one latency sample. */
  readonly blocks: number;
  /** Aim for blocks this long, so timer overhead (≈50 ns) stays under 0.01 % of a sample. */
  readonly targetBlockNs: number;
  /** Calls made before timing, so the JIT and every cache are warm. */
  readonly warmupCalls: number;
}

export interface SingleRowSample {
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly callsPerBlock: number;
}

/** Distinct rows as ready-made views, so the timed loop allocates nothing of its own. */
export function rowViews(matrix: Float32Array, inputs: number): Float32Array[] {
  const views: Float32Array[] = [];
  for (let offset = 0; offset + inputs <= matrix.length; offset += inputs) views.push(matrix.subarray(offset, offset + inputs));
  return views;
}

export async function measureSingleRow<Item>(network: SingleScorer<Item>, rows: readonly Item[], plan: SingleRowPlan): Promise<SingleRowSample> {
  await timeCalls(network, rows, plan.warmupCalls, 0);
  const calibrationCalls = 64;
  const calibrationNs = await timeCalls(network, rows, calibrationCalls, 0);
  const callsPerBlock = Math.min(1000, Math.max(10, Math.ceil(plan.targetBlockNs / Math.max(1, calibrationNs / calibrationCalls))));
  const samples: number[] = [];
  let cursor = 0;
  for (let block = 0; block < plan.blocks; block++) {
    samples.push((await timeCalls(network, rows, callsPerBlock, cursor)) / callsPerBlock);
    cursor = (cursor + callsPerBlock) % rows.length;
  }
  return { p50Ns: quantile(samples, 0.5), p99Ns: quantile(samples, 0.99), callsPerBlock };
}

/** Nanoseconds for `calls` calls starting at row `cursor`; results are summed so none is dead code. */
async function timeCalls<Item>(network: SingleScorer<Item>, rows: readonly Item[], calls: number, cursor: number): Promise<number> {
  let sum = 0;
  let index = cursor;
  const start = process.hrtime.bigint();
  if (network.mode === 'sync') {
    for (let call = 0; call < calls; call++) {
      sum += network.predictOne(rows[index]!);
      if (++index === rows.length) index = 0;
    }
  } else {
    for (let call = 0; call < calls; call++) {
      sum += await network.predictOne(rows[index]!);
      if (++index === rows.length) index = 0;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  consume(sum);
  return elapsed;
}

let blackhole = 0;
/** Keeps the optimiser from proving the predictions unused. */
function consume(value: number): void {
  blackhole = (blackhole + value) % 1;
  if (Number.isNaN(blackhole)) throw new RangeError('a backend returned NaN during timing');
}
