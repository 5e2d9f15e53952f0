/**
 * The parity check that runs before any timing: every backend, given the same float32
 * weights, must produce probabilities within 1e-5 of the float64 reference, row by row and
 * in a batch. A backend that does not is computing something else, and timing it would be
 * meaningless, so the whole run aborts.
 */
import type { NetworkShape } from '../src/engine/types.js';
import { EngineError } from '../src/errors.js';
import type { LoadedNetwork } from './peers/backend.js';
import { referenceProbability } from './workloads.js';

export const PARITY_TOLERANCE = 1e-5;

export interface ParityResult {
  readonly backend: string;
  readonly workload: string;
  readonly rows: number;
  readonly maxAbsDifference: number;
}

/** Compares single-row and batch outputs with the reference; throws EngineError on the first mismatch. */
export async function checkParity(
  backend: string,
  workload: string,
  network: LoadedNetwork,
  shape: NetworkShape,
  parameters: Float32Array,
  matrix: Float32Array,
  rows: number,
): Promise<ParityResult> {
  const expected = new Float64Array(rows);
  for (let row = 0; row < rows; row++) expected[row] = referenceProbability(shape, parameters, matrix.subarray(row * shape.inputs, (row + 1) * shape.inputs));

  const batch = await network.predictBatch(matrix, rows);
  let maxAbsDifference = 0;
  for (let row = 0; row < rows; row++) {
    const single = await network.predictOne(matrix.slice(row * shape.inputs, (row + 1) * shape.inputs));
    for (const [path, actual] of [['single-row', single], ['batch', batch[row]]] as const) {
      const difference = Math.abs((actual ?? Number.NaN) - expected[row]!);
      if (!(difference <= PARITY_TOLERANCE)) {
        throw new EngineError(
          'BENCH_PARITY',
          `parity check failed for ${backend} on ${workload}, ${path} row ${row + 1}: expected ${expected[row]!.toPrecision(9)} ` +
            `(float64 reference) within ${PARITY_TOLERANCE}, got ${String(actual)}`,
        );
      }
      maxAbsDifference = Math.max(maxAbsDifference, difference);
    }
  }
  return { backend, workload, rows, maxAbsDifference };
}
