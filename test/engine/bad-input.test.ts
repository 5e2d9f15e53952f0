import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import { InputError, OptionsError } from '../../src/errors.js';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Engine, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

const engines: [string, () => Engine][] = [['TypeScript', createJsEngine], ['SIMD', simdEngine], ['scalar', scalarEngine]];

const ADAM: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, batchSize: 8 };
const shape = LOGISTIC_REGRESSION;

describe('bad input is an error or a defined answer, never a crash or NaN, on every engine', () => {
  for (const [name, makeEngine] of engines) {
    describe(`${name} engine`, () => {
      const network = trainable(makeEngine().createNetwork(shape, { maxBatch: 4 }));
      network.setParameters(randomParameters(shape, 1));

      it('rejects a row of the wrong length, naming the expected count', () => {
        expect(() => network.predictRow([1, 2, 3])).toThrow(InputError);
        expect(() => network.predictRow([1, 2, 3])).toThrow(/expected 32 features in one row, got 3/);
      });

      it('rejects a matrix shorter than rows x inputs', () => {
        expect(() => network.predictBatch(new Float32Array(40), 2)).toThrow(/expected at least 2 rows x 32 features/);
      });

      it('predicts an empty batch as no rows, and refuses a row count that is negative or not whole', () => {
        const rowsError = expect.objectContaining({ name: 'InputError', code: 'INPUT_ROWS' });
        expect(network.predictBatch(new Float32Array(0), 0)).toEqual(new Float32Array(0));
        expect(() => network.predictBatch(new Float32Array(64), 1.5, new Float32Array(2))).toThrow(rowsError);
        expect(() => network.predictBatchInput(-1, new Float32Array(4))).toThrow(rowsError);
        expect(() => network.predictBatchInput(0.5, new Float32Array(4))).toThrow(rowsError);
      });

      it('refuses a negative or fractional row count with INPUT_ROWS when no out vector is given, too (not a RangeError)', () => {
        const rowsError = expect.objectContaining({ name: 'InputError', code: 'INPUT_ROWS' });
        expect(() => network.predictBatch(new Float32Array(64), -1)).toThrow(rowsError);
        expect(() => network.predictBatch(new Float32Array(64), 1.5)).toThrow(rowsError);
        expect(() => network.predictBatchInput(-1)).toThrow(rowsError);
        expect(() => network.predictBatchInput(0.5)).toThrow(rowsError);
      });

      it('refuses an out or gradient vector too short for its answer with INPUT_LENGTH, never a RangeError', () => {
        const short = expect.objectContaining({ name: 'InputError', code: 'INPUT_LENGTH' });
        expect(() => network.predictBatch(new Float32Array(64), 2, new Float32Array(1))).toThrow(short);
        expect(() => network.predictBatchInput(2, new Float32Array(1))).toThrow(short);
        expect(() => network.inputGradient(new Array<number>(32).fill(0), new Float32Array(31))).toThrow(short);
      });

      it('refuses labels or sample weights one short of the rows', () => {
        network.configureTraining(ADAM);
        const matrix = new Float32Array(3 * 32);
        expect(() => network.trainBatch(matrix, new Float32Array([0, 1]), new Float32Array([1, 1, 1]), 3)).toThrow(/field "labels"/);
        expect(() => network.trainBatch(matrix, new Float32Array([0, 1, 1]), new Float32Array([1, 1]), 3)).toThrow(/field "sampleWeights"/);
      });

      it('rejects a label outside [0, 1] or a negative weight, naming the 1-based row', () => {
        network.configureTraining(ADAM);
        const matrix = new Float32Array(3 * 32);
        expect(() => network.trainBatch(matrix, new Float32Array([0, 1, Number.NaN]), new Float32Array([1, 1, 1]), 3)).toThrow(/row 3, field "labels"/);
        expect(() => network.trainBatch(matrix, new Float32Array([0, 1, 1]), new Float32Array([1, -2, 1]), 3)).toThrow(/row 2, field "sampleWeights"/);
        expect(() => network.trainBatch(matrix, new Float32Array([0, 1, 1]), new Float32Array([1, 1, Infinity]), 3)).toThrow(/row 3, field "sampleWeights"/);
      });

      it('rejects parameters containing NaN or Infinity, and too few parameters', () => {
        const parameters = randomParameters(shape, 2);
        parameters[5] = Number.POSITIVE_INFINITY;
        expect(() => network.setParameters(parameters)).toThrow(/at index 5/);
        expect(() => network.setParameters(new Float32Array(3))).toThrow(/expected 33 parameters, got 3/);
        expect(() => network.setParameters(new Float32Array(32))).toThrow(/expected 33 parameters, got 32/);
        const firstNaN = randomParameters(shape, 2);
        firstNaN[0] = Number.NaN;
        expect(() => network.setParameters(firstNaN)).toThrow(/at index 0/);
      });

      it('rejects a maxBatch that is not a positive integer, or too large to plan', () => {
        const engine = makeEngine();
        expect(() => engine.createNetwork(shape, { maxBatch: Number.NaN })).toThrow(/option "maxBatch" must be a positive integer/);
        expect(() => engine.createNetwork(shape, { maxBatch: 0 })).toThrow(OptionsError);
        expect(() => engine.createNetwork(shape, { maxBatch: 2 ** 30 })).toThrow(/exceeds/);
      });

      it('holds at least the default 512 rows in batchInput, and maxBatch rows when more are asked for', () => {
        const engine = makeEngine();
        expect(engine.createNetwork(shape, { maxBatch: 4 }).batchCapacity).toBe(512);
        expect(engine.createNetwork(shape, { maxBatch: 600 }).batchCapacity).toBe(600);
      });

      it('refuses an output layer that is not one sigmoid unit', () => {
        const twoOutputs = { inputs: 3, layers: [{ units: 2, activation: 'sigmoid' as const }] };
        expect(() => makeEngine().createNetwork(twoOutputs)).toThrow(expect.objectContaining({ code: 'SHAPE_OUTPUT' }));
      });

      it('rejects more zero-copy rows than batchInput holds', () => {
        expect(() => network.predictBatchInput(network.batchCapacity + 1)).toThrow(InputError);
      });

      it('rejects a training configuration with a field out of range, naming the field', () => {
        expect(() => network.configureTraining({ ...ADAM, beta2: 1 })).toThrow(OptionsError);
        expect(() => network.configureTraining({ ...ADAM, learningRate: Number.NaN })).toThrow(/"learningRate"/);
        expect(() => network.setLearningRate(-1)).toThrow(/"learningRate"/);
      });

      it('treats NaN features as 0 and clamps infinite ones, so the probability is defined', () => {
        const withNaN = new Array<number>(32).fill(0.5);
        withNaN[3] = Number.NaN;
        const withZero = withNaN.slice();
        withZero[3] = 0;
        expect(network.predictRow(withNaN)).toBeCloseTo(network.predictRow(withZero), 6);
        const infinite = new Array<number>(32).fill(Number.POSITIVE_INFINITY);
        const p = network.predictRow(infinite);
        expect(p >= 0 && p <= 1).toBe(true);
      });
    });
  }
});
