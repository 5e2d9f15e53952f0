import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { INPUT_LIMIT } from '../../src/engine/input-limit.js';
import { largestWeightedSum, SAFE_SUM_LIMIT } from '../../src/engine/output-bound.js';
import type { Engine } from '../../src/engine/types.js';
import { ModelFormatError } from '../../src/errors.js';
import { loadModel } from '../../src/model/churn-model.js';
import { decodeWeights, serializeModel, type ModelFileV1 } from '../../src/model/model-file.js';
import { scalarEngine, simdEngine } from '../engine/kernels.js';
import { fixtureModel } from './model-fixture.js';

const engines: [string, () => Engine][] = [['TypeScript', createJsEngine], ['SIMD kernel', simdEngine], ['scalar kernel', scalarEngine]];
const { contents, file: soundFile } = await fixtureModel('mlp');
const logreg = await fixtureModel('logreg');

async function withParameters(base: { contents: typeof contents }, fill: (index: number, original: number) => number): Promise<ModelFileV1> {
  const original = Float32Array.from(base.contents.parameters);
  return serializeModel({ ...base.contents, parameters: original.map((value, index) => fill(index, value)) });
}

function refusal(engine: Engine, file: ModelFileV1): ModelFormatError {
  try {
    loadModel(engine, file).dispose();
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw error;
  }
  throw new Error('the model was accepted');
}

describe('loadModel refuses a model that could answer anything but a probability', () => {
  for (const [name, makeEngine] of engines) {
    describe(`${name}`, () => {
      const engine = makeEngine();

      it('accepts a sound model, and its probabilities stay in [0, 1]', () => {
        const model = loadModel(engine, soundFile);
        for (const value of model.predictBatch(new Float32Array(soundFile.architecture.inputs * 4).fill(INPUT_LIMIT))) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      });

      it('refuses weights of 3e38 (finite, and they pass the format checks) naming the reason', async () => {
        const huge = await withParameters({ contents }, () => 3e38);
        const error = refusal(engine, huge);
        expect(error.code).toMatch(/^MODEL_(PROBE_FAILED|OUTPUT_UNBOUNDED)$/);
        expect(error.message).toMatch(/largest \|weight\| is 3\.00e\+38/);
        if (name !== 'TypeScript') {
          // The kernel computes in float32: the very first probe, the training mean, overflows.
          expect(error.code).toBe('MODEL_PROBE_FAILED');
          expect(error.message).toMatch(/^the model does not score the probe "the training mean \(featureSpec\.baseline\)" with a probability: logit (NaN|-?Infinity)/);
        }
      });

      it('refuses a model that scores every probe but would overflow for inputs far out (1e30 weights)', async () => {
        const file = await withParameters(logreg, (index, value) => (index === 0 ? 1e30 : value));
        const error = refusal(engine, file);
        expect(error.code).toBe('MODEL_OUTPUT_UNBOUNDED');
        expect(error.message).toMatch(/^unit 0 of layer 0 can reach a weighted sum of 1\.00e\+39 for inputs within ±1000000000/);
      });

      it('keeps half of float32\'s largest value as headroom: a weighted sum that can reach 2e38 is refused', async () => {
        const file = await withParameters(logreg, (index, value) => (index === 0 ? 2e29 : value));
        expect(refusal(engine, file).code).toBe('MODEL_OUTPUT_UNBOUNDED');
      });
    });
  }

  it('the bound is not vacuous: the kernel really scores NaN for a model it refuses', async () => {
    const file = await withParameters(logreg, (index, value) => (index === 0 ? 1e30 : index === 1 ? -1e30 : value));
    const network = simdEngine().createNetwork(file.architecture);
    network.setParameters(decodeWeights(file));
    const row = new Float32Array(file.architecture.inputs);
    row[0] = INPUT_LIMIT;
    row[1] = INPUT_LIMIT;
    expect(network.predictRow(row)).toBeNaN();
  });
});

describe('largestWeightedSum', () => {
  it('carries the input box through relu, and tanh/sigmoid squash it to 1', () => {
    const shape = { inputs: 2, layers: [{ units: 1, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }] };
    // layer 0: |b| + (|w0| + |w1|)·1e9 = 0.5 + 3e9; layer 1: 2 + 4·(0.5 + 3e9).
    expect(largestWeightedSum(shape, [1, -2, 0.5, 4, -2])).toEqual({ layer: 1, unit: 0, bound: 2 + 4 * (0.5 + 3e9) });
    const squashed = { inputs: 2, layers: [{ units: 1, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }] };
    expect(largestWeightedSum(squashed, [1, -2, 0.5, 4, -2])).toEqual({ layer: 0, unit: 0, bound: 0.5 + 3e9 });
  });

  it('reads weight W[i, j] of a wider layer at weightOffset + i·units + j', () => {
    const shape = { inputs: 2, layers: [{ units: 2, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }] };
    // Layer 0: W = [[1, 0], [0, 5]], no bias: units reach 1e9 and 5e9; layer 1 sums them: 6e9.
    expect(largestWeightedSum(shape, [1, 0, 0, 5, 0, 0, 1, 1, 0])).toEqual({ layer: 1, unit: 0, bound: 6e9 });
  });

  it('is Infinity when a parameter is NaN, so a broken model counts as the worst', () => {
    const shape = { inputs: 2, layers: [{ units: 1, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }] };
    expect(largestWeightedSum(shape, [1, Number.NaN, 0, 1, 0]).bound).toBe(Infinity);
  });

  it('a trained-looking model is many orders of magnitude inside the limit', () => {
    expect(largestWeightedSum(soundFile.architecture, decodeWeights(soundFile)).bound).toBeLessThan(SAFE_SUM_LIMIT / 1e20);
  });
});
