/**
 * Fuzzing the WebAssembly boundary: networks of random shapes fed hostile float32 rows on every
 * prediction path, models with random (often absurd) weights through loadModel, huge batches,
 * and raw records of any shape. Properties: nothing but typed errors; never NaN, never a value
 * outside [0, 1]; a fixed row scored before and after each hostile call is bit-identical.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Activation, Engine, Network, NetworkShape } from '../../src/engine/types.js';
import { explainable } from '../../src/explain/explainable.js';
import { loadModel, type ChurnModel } from '../../src/model/churn-model.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { serializeModel } from '../../src/model/model-file.js';
import { randomBatch, randomParameters } from '../engine/fixtures.js';
import { scalarEngine, simdEngine } from '../engine/kernels.js';
import { fixtureModel } from '../model/model-fixture.js';
import { cases, expectTypedError, fuzz, hostileFloat, reportTallies } from './fuzz.js';

afterAll(reportTallies);

const engines: [string, Engine][] = [['SIMD kernel', simdEngine()], ['scalar kernel', scalarEngine()], ['TypeScript', createJsEngine()]];

const shapeArbitrary: fc.Arbitrary<NetworkShape> = fc
  .record({
    inputs: fc.integer({ min: 1, max: 37 }),
    hidden: fc.array(
      fc.record({ units: fc.integer({ min: 1, max: 33 }), activation: fc.constantFrom<Activation>('relu', 'tanh', 'sigmoid', 'linear') }),
      { maxLength: 3 },
    ),
  })
  .map(({ inputs, hidden }) => ({ inputs, layers: [...hidden, { units: 1, activation: 'sigmoid' as const }] }));

function expectProbabilities(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!(value >= 0 && value <= 1)) expect.fail(`${what}[${i}] is ${value}, not a probability`);
  }
}

function sameBits(after: number, before: number, what: string): void {
  if (!Object.is(Math.fround(after), Math.fround(before))) expect.fail(`${what}: the fixed row scored ${before} before the hostile call and ${after} after`);
}

describe('fuzz: the WebAssembly boundary', () => {
  for (const [name, engine] of engines) {
    it(`${name}: networks of random shapes fed hostile float32 rows on every path (${cases(400)} cases)`, async () => {
      await fuzz(`${name}: hostile rows`, 400, [shapeArbitrary, fc.integer({ min: 1, max: 1_000 }), fc.array(hostileFloat, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 40 })], (shape, seed, floats, rows) => {
        const network = engine.createNetwork(shape, { maxBatch: 16 });
        network.setParameters(randomParameters(shape, seed));
        const fixed = randomBatch(shape.inputs, 1, seed).matrix;
        const before = network.predictRow(fixed);
        const matrix = Float32Array.from({ length: rows * shape.inputs }, (_, i) => floats[i % floats.length]!);
        const row = matrix.subarray(0, shape.inputs);

        expectProbabilities([network.predictRow(row)], 'predictRow');
        sameBits(network.predictRow(fixed), before, 'after predictRow');
        expectProbabilities(network.predictBatch(matrix, rows), 'predictBatch');
        sameBits(network.predictRow(fixed), before, 'after predictBatch');
        network.input.set(row);
        expectProbabilities([network.predictInput()], 'predictInput');
        const batchRows = Math.min(rows, network.batchCapacity);
        network.batchInput.set(matrix.subarray(0, batchRows * shape.inputs));
        expectProbabilities(network.predictBatchInput(batchRows), 'predictBatchInput');
        const gradient = new Float32Array(shape.inputs);
        const logit = network.inputGradient(row, gradient);
        if (!Number.isFinite(logit) || gradient.some((value) => !Number.isFinite(value))) expect.fail(`inputGradient gave logit ${logit}, gradient ${gradient}`);
        sameBits(network.predictRow(fixed), before, 'after every path');
        // A row of the wrong length is a typed error, never a read past it.
        try {
          network.predictRow(matrix.subarray(0, shape.inputs + 1));
          if (matrix.length > shape.inputs) expect.fail('a row one float too long was accepted');
        } catch (error) {
          expectTypedError(error);
        }
      });
    });

    it(`${name}: models with random, often absurd, weights are refused by loadModel or score every hostile row and record (${cases(200)} cases)`, async () => {
      const magnitude = fc.constantFrom(1e-3, 1, 30, 1e4, 1e12, 1e20, 1e30, 3e38);
      await fuzz(`${name}: random weights through loadModel`, 200, [shapeArbitrary, magnitude, fc.integer({ min: 1, max: 1_000 }), fc.array(hostileFloat, { minLength: 1, maxLength: 200 })], async (shape, scale, seed, floats) => {
        let model: ChurnModel;
        try {
          // Weights past float32's range become Infinity: writing the file refuses them, typed, as loading would.
          model = loadModel(engine, await modelFile(shape, randomParameters(shape, seed).map((value) => value * scale)));
        } catch (error) {
          expectTypedError(error);
          return;
        }
        const fixed = { f0: 0.5 };
        const before = model.predict(fixed);
        const matrix = Float32Array.from({ length: 8 * shape.inputs }, (_, i) => floats[i % floats.length]!);
        expectProbabilities(model.predictBatch(matrix), 'predictBatch(matrix)');
        const records = Array.from({ length: 8 }, (_, r) => Object.fromEntries(Array.from({ length: shape.inputs }, (_, c) => [`f${c}`, floats[(r * 7 + c) % floats.length]!])));
        expectProbabilities(model.predictBatch(records), 'predictBatch(records)');
        expectProbabilities(records.map((record) => model.predict(record)), 'predict');
        sameBits(model.predict(fixed), before, 'after the hostile calls');
      });
    });
  }

  it(`SIMD kernel: huge hostile batches, up to 200,000 rows in one call (${cases(12)} cases)`, async () => {
    const shape: NetworkShape = { inputs: 24, layers: [{ units: 32, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] };
    const network: Network = engines[0]![1].createNetwork(shape);
    network.setParameters(randomParameters(shape, 5));
    const fixed = randomBatch(shape.inputs, 1, 5).matrix;
    const before = network.predictRow(fixed);
    await fuzz('SIMD kernel: huge batches', 12, [fc.integer({ min: 1, max: 200_000 }), fc.array(hostileFloat, { minLength: 1, maxLength: 97 })], (rows, floats) => {
      const matrix = new Float32Array(rows * shape.inputs);
      for (let i = 0; i < matrix.length; i++) matrix[i] = floats[i % floats.length]!;
      expectProbabilities(network.predictBatch(matrix, rows), 'predictBatch');
      sameBits(network.predictRow(fixed), before, 'after the huge batch');
    });
  });

  it(`a loaded model scores records of any shape and content, and explains them with finite numbers (${cases(800)} cases)`, async () => {
    const { file } = await fixtureModel('mlp');
    const model = explainable(loadModel(engines[0]![1], file));
    const fixed = { Tenure: 4, Complain: 'yes', PaymentMode: 'UPI', CashbackAmount: 150 };
    const before = model.predict(fixed);
    const cell = fc.oneof(hostileFloat, fc.string({ maxLength: 40 }), fc.constantFrom('', 'NaN', 'Infinity', '-1e400', 'N/A', 'COD', ' cash ON delivery ', 'yes', 'true', '__proto__'), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 2 }));
    const key = fc.oneof(fc.constantFrom('Tenure', 'Complain', 'PaymentMode', 'CashbackAmount', '__proto__', 'constructor', 'toString'), fc.string({ maxLength: 12 }));
    const record = fc.dictionary(key, cell, { maxKeys: 8 }) as fc.Arbitrary<RawRecord>;
    await fuzz('loaded model: hostile records', 800, [fc.array(record, { minLength: 1, maxLength: 20 })], (records) => {
      expectProbabilities(records.map((one) => model.predict(one)), 'predict');
      expectProbabilities(model.predictBatch(records), 'predictBatch');
      for (const contribution of model.explain(records[0]!)) {
        if (!Number.isFinite(contribution.contribution)) expect.fail(`explain gave ${contribution.contribution} for ${contribution.feature}`);
      }
      sameBits(model.predict(fixed), before, 'after the hostile records');
    });
  });
});

/** A model file over numeric columns f0..f{n-1} (no missing indicators), with the given parameters. */
async function modelFile(shape: NetworkShape, parameters: Float32Array) {
  const rows = Array.from({ length: 20 }, (_, r) => Object.fromEntries(Array.from({ length: shape.inputs }, (_, c) => [`f${c}`, ((r * 31 + c * 17) % 23) - 11])));
  const featureSpec = fitFeatureSpec(rows, { missingIndicators: false });
  return serializeModel({
    version: 'fuzz',
    architecture: { kind: shape.layers.length === 1 ? 'logreg' : 'mlp', inputs: shape.inputs, layers: shape.layers.map((layer) => ({ ...layer })) },
    featureSpec,
    parameters,
    metadata: {
      target: 'churned', id: null, trainedAt: '2026-12-02T00:00:00.000Z', rows: 20, positiveRate: 0.5, threshold: 0.5,
      dataHash: 'c'.repeat(64), seed: 1, metrics: {}, scoreQuantiles: [0, 0.5, 1], options: {},
    },
  });
}
