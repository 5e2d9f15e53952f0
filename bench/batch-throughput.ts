/**
 * Batch throughput: rows per second scoring `batchSize` rows per call, inputs taken from a
 * pre-generated matrix at rotating offsets, the result array produced and read back every
 * call. Backends take turns: each turn gives every backend a short series of calls, and a
 * round's figure for a backend is all its rows over all its time in that round.
 */
import { EngineError } from '../src/errors.js';
import type { LoadedNetwork } from './peers/backend.js';

export const BATCH_SIZES = [64, 1024, 65536] as const;

export interface BatchContestant {
  readonly id: string;
  readonly network: LoadedNetwork;
  readonly activate: () => Promise<void>;
}

/** Rows per second per contestant for one round at one batch size. */
export async function measureBatchRound(
  contestants: readonly BatchContestant[],
  matrix: Float32Array,
  inputs: number,
  batchSize: number,
  plan: { readonly turns: number; readonly minimumNsPerTurn: number },
): Promise<Map<string, number>> {
  const totals = new Map(contestants.map((contestant) => [contestant.id, { rows: 0, ns: 0 }]));
  for (const contestant of contestants) {
    await contestant.activate();
    // Warm the code path without paying a whole 65,536-row call on the slowest backends.
    await contestant.network.predictBatch(matrix, Math.min(batchSize, 1024));
  }
  for (let turn = 0; turn < plan.turns; turn++) {
    for (const contestant of contestants) {
      await contestant.activate();
      const { calls, ns } = await timeSeries(contestant.network, matrix, inputs, batchSize, plan.minimumNsPerTurn);
      const total = totals.get(contestant.id)!;
      total.rows += calls * batchSize;
      total.ns += ns;
    }
  }
  return new Map([...totals].map(([id, total]) => [id, total.rows / (total.ns / 1e9)]));
}

/** Calls until `minimumNs` have passed (at least one call). */
async function timeSeries(network: LoadedNetwork, matrix: Float32Array, inputs: number, batchSize: number, minimumNs: number): Promise<{ calls: number; ns: number }> {
  const offsets = Math.max(1, Math.floor(matrix.length / inputs / batchSize));
  let calls = 0;
  let checksum = 0;
  let elapsed = 0;
  const start = process.hrtime.bigint();
  while (calls === 0 || elapsed < minimumNs) {
    const offset = (calls % offsets) * batchSize * inputs;
    const probabilities = await network.predictBatch(matrix.subarray(offset), batchSize);
    checksum += probabilities[batchSize - 1]!;
    calls++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  if (!Number.isFinite(checksum)) throw new EngineError('BENCH_OUTPUT', `a batch of ${batchSize} rows returned a non-finite probability`);
  return { calls, ns: elapsed };
}
