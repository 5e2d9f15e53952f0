/**
 * `predictBatch` feeds a large matrix to the kernel in cache-sized chunks (2,048 rows of 32
 * inputs): rows on both sides of every chunk boundary, and a short last chunk, score like
 * the TypeScript reference.
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Engine, NetworkShape } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, MLP_32_64_32, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

/** Two whole chunks of 2,048 rows and a last one of 907. */
const ROWS = 5003;

describe('predictBatch across chunk boundaries', () => {
  for (const [kernelName, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as [string, () => Engine][]) {
    for (const [shapeName, shape] of [['LR 32→1', LOGISTIC_REGRESSION], ['MLP 32→64→32→1', MLP_32_64_32]] as [string, NetworkShape][]) {
      it(`${kernelName} kernel, ${shapeName}: ${ROWS} rows in one call match the reference row for row (< 1e-6)`, () => {
        const parameters = randomParameters(shape, 23);
        const { matrix } = randomBatch(shape.inputs, ROWS, 29);
        const network = makeEngine().createNetwork(shape, { maxBatch: ROWS });
        const reference = createJsEngine().createNetwork(shape);
        network.setParameters(parameters);
        reference.setParameters(parameters);
        const got = network.predictBatch(matrix, ROWS);
        const want = reference.predictBatch(matrix, ROWS);
        let worst = 0;
        for (let r = 0; r < ROWS; r++) worst = Math.max(worst, Math.abs(got[r]! - want[r]!));
        expect(worst).toBeLessThan(1e-6);
      });
    }
  }
});
