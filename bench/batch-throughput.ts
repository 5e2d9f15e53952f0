/**
 * Batch throughput: rows per second scoring `batchSize` rows per call, repeated until a
 * minimum time has passed (at least one call), inputs taken from a pre-generated matrix at
 * rotating offsets. The result array is produced and read back every call.
 */
import { EngineError } from '../src/errors.js';
import type { LoadedNetwork } from './peers/backend.js';

export const BATCH_SIZES = [64, 1024, 65536] as const;

export async function measureBatchThroughput(network: LoadedNetwork, matrix: Float32Array, inputs: number, batchSize: number, minimumNs: number): Promise<number> {
  const totalRows = Math.floor(matrix.length / inputs);
  const offsets = Math.max(1, Math.floor(totalRows / batchSize));
  // Warm the code path without paying a whole 65,536-row call on the slowest backends.
  await network.predictBatch(matrix, Math.min(batchSize, 1024));
  let calls = 0;
  let checksum = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (calls === 0 || elapsed < minimumNs) {
    const offset = (calls % offsets) * batchSize * inputs;
    const probabilities = await network.predictBatch(matrix.subarray(offset), batchSize);
    checksum += probabilities[batchSize - 1]!;
    calls++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  if (!Number.isFinite(checksum)) throw new EngineError('BENCH_OUTPUT', `batch of ${batchSize} rows returned a non-finite probability`);
  return (calls * batchSize) / (elapsed / 1e9);
}
