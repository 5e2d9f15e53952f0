/**
 * Every prediction path sanitises its inputs alike (NaN → 0, clamp to ±1e9): the separate
 * in-place pass (MLP), the one fused into the logistic-regression dot product (single row and
 * four rows at a time), and the tails (rows % 4, inputs % 4).
 */
import { describe, expect, it } from 'vitest';
import { INPUT_LIMIT, sanitizeInput } from '../../src/engine/input-limit.js';
import type { Engine, NetworkShape } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, ODD_LOGISTIC_REGRESSION, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

/** The column that receives huge values: its weights are tiny, so a clamped 1e9 still moves the probability. */
const HUGE_COLUMN = 2;
const TINY_WEIGHT = 3e-10;
const ROWS = 23;

/** Parameters whose first-layer weights from HUGE_COLUMN are scaled down to about TINY_WEIGHT. */
function parametersWithTinyColumn(shape: NetworkShape): Float32Array {
  const parameters = randomParameters(shape, 17);
  const units = shape.layers[0]!.units;
  for (let j = 0; j < units; j++) parameters[HUGE_COLUMN * units + j] = TINY_WEIGHT * (j % 2 === 0 ? 1 : -1);
  return parameters;
}

/** NaN anywhere, ±Infinity and ±1e30 in HUGE_COLUMN, and a value just inside the limit: every row has something bad. */
function badMatrix(inputs: number): Float32Array {
  const matrix = randomBatch(inputs, ROWS, 19).matrix;
  const huge = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, INPUT_LIMIT * 0.5];
  for (let r = 0; r < ROWS; r++) {
    matrix[r * inputs + HUGE_COLUMN] = huge[r % huge.length]!;
    matrix[r * inputs + ((r * 5) % inputs)] = Number.NaN;
  }
  return matrix;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('the kernels sanitise inputs on every prediction path', () => {
  const shapes: [string, NetworkShape][] = [['LR 32→1', LOGISTIC_REGRESSION], ['LR 7→1', ODD_LOGISTIC_REGRESSION], ['MLP 32→64→32→1', MLP_32_64_32]];
  for (const [kernelName, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as [string, () => Engine][]) {
    for (const [shapeName, shape] of shapes) {
      it(`${kernelName} kernel, ${shapeName}: NaN, Infinity and 1e30 score like the sanitised row, batch and single`, () => {
        const network = makeEngine().createNetwork(shape, { maxBatch: 8 });
        network.setParameters(parametersWithTinyColumn(shape));
        const bad = badMatrix(shape.inputs);
        const sanitised = bad.map(sanitizeInput);
        const want = network.predictBatch(sanitised, ROWS);
        // The clamp is visible: 1e9 x 3e-10 moves the probability, so a missing clamp (1e30) or a lost NaN would show.
        expect(want.every((p) => p > 0.001 && p < 0.999)).toBe(true);

        expect(maxAbsDifference(network.predictBatch(bad, ROWS), want)).toBeLessThan(1e-6);
        network.batchInput.set(bad.subarray(0, 7 * shape.inputs));
        expect(maxAbsDifference(network.predictBatchInput(7), want.subarray(0, 7))).toBeLessThan(1e-6);
        for (let r = 0; r < ROWS; r++) {
          network.input.set(bad.subarray(r * shape.inputs, (r + 1) * shape.inputs));
          expect(Math.abs(network.predictInput() - want[r]!)).toBeLessThan(1e-6);
        }
      });
    }
  }
});
