import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { InputError, OptionsError } from '../../src/errors.js';
import { evaluatePredictions } from '../../src/metrics/evaluation.js';
import { thresholdByMaxF1 } from '../../src/metrics/index.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { decodeWeights } from '../../src/model/model-file.js';
import { quantileOfSorted } from '../../src/model/quantile.js';
import { crossValidateFolds } from '../../src/train/cross-validate.js';
import { hashRows } from '../../src/train/data-hash.js';
import { featureWords } from '../../src/train/feature-words.js';
import { hashPosition } from '../../src/train/hash-position.js';
import { initialParameters } from '../../src/train/initial-parameters.js';
import { learningRateAt } from '../../src/train/learning-rate-schedule.js';
import { parseTarget } from '../../src/train/parse-target.js';
import { createRandom } from '../../src/train/random.js';
import { requireRowsPerFold } from '../../src/train/require-rows-per-fold.js';
import { stratifiedFolds } from '../../src/train/stratified-folds.js';
import { stratifiedSplit } from '../../src/train/stratified-split.js';
import { train } from '../../src/train/train.js';
import { syntheticCustomers } from '../model/synthetic-customers.js';

const engine = createJsEngine();
const rows = syntheticCustomers(400);
const labelsOf = (table: readonly RawRecord[]) => table.map((row) => parseTarget(row.Churn));
const quick = { engine, target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 8, batchSize: 32 } as const;

/** The rows `train` holds out for validation: its split is the first use of the seeded generator. */
function heldOut(table: readonly RawRecord[], seed: number, fraction = 0.1): number[] {
  return stratifiedSplit(labelsOf(table), fraction, createRandom(seed)).validation;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function variance(values: ArrayLike<number>): number {
  const centre = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - centre) ** 2;
  return sum / values.length;
}

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 15 ? 1 : 0));

  it('holds out the nearest whole number of rows of each class (15 churners at 10 % is 2, not 1)', () => {
    const { validation } = stratifiedSplit(labels, 0.1, createRandom(3));
    expect(validation.filter((row) => labels[row] === 1)).toHaveLength(2);
    expect(validation.filter((row) => labels[row] === 0)).toHaveLength(9);
  });

  it('returns both parts in ascending row order, disjoint and covering every row', () => {
    const { train: fit, validation } = stratifiedSplit(labels, 0.3, createRandom(3));
    expect(fit).toEqual([...fit].sort((a, b) => a - b));
    expect(validation).toEqual([...validation].sort((a, b) => a - b));
    expect([...fit, ...validation].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });

  it('draws the held-out rows with the seed, not the first rows of each class', () => {
    const first = stratifiedSplit(labels, 0.2, createRandom(5)).validation;
    expect(stratifiedSplit(labels, 0.2, createRandom(6)).validation).not.toEqual(first);
  });
});

describe('stratifiedFolds', () => {
  it('refuses a fold count that is not a whole number', () => {
    expect(() => stratifiedFolds([0, 1, 0, 1, 0, 1], 2.5)).toThrow(OptionsError);
  });

  it('allows as many folds as rows (leave-one-out), each testing one row', () => {
    const folds = stratifiedFolds([0, 1, 0, 1], 4, 1);
    expect(folds.map((fold) => fold.test.length)).toEqual([1, 1, 1, 1]);
  });
});

describe('crossValidateFolds', () => {
  it("scores each fold with a model trained on that fold's training rows alone, at that model's threshold", async () => {
    const table = syntheticCustomers(120, 11);
    const labels = labelsOf(table);
    const folds = stratifiedFolds(labels, 3, 4);
    const options = { ...quick, epochs: 3 };
    for await (const outcome of crossValidateFolds(table, labels, folds, options)) {
      const fold = folds[outcome.fold]!;
      const { model } = await train(fold.train.map((row) => table[row]!), options);
      const expected = model.predictBatch(fold.test.map((row) => table[row]!));
      expect(outcome.trainRows).toBe(fold.train.length);
      expect(Array.from(outcome.probabilities)).toEqual(Array.from(expected));
      expect(outcome.evaluation).toEqual(evaluatePredictions(Uint8Array.from(fold.test, (row) => labels[row]!), expected, model.threshold));
      model.dispose();
    }
  });
});

describe('hashRows', () => {
  it('is the same whatever order the keys of a record come in', async () => {
    expect(await hashRows([{ a: 1, b: 'x' }, { b: 'y', a: 2 }])).toBe(await hashRows([{ b: 'x', a: 1 }, { a: 2, b: 'y' }]));
  });

  it('tells apart the same values under other column names', async () => {
    expect(await hashRows([{ a: 1 }])).not.toBe(await hashRows([{ b: 1 }]));
  });

  it('counts a column that only later rows have', async () => {
    expect(await hashRows([{ a: 1 }, { a: 2, b: 3 }])).not.toBe(await hashRows([{ a: 1 }, { a: 2, b: 4 }]));
  });

  it('reads a missing cell as null, never a value the record inherits (a "__proto__" column)', async () => {
    const withProto = JSON.parse('{"a":2,"__proto__":"x"}') as RawRecord;
    const missing = JSON.parse('{"a":1,"__proto__":null}') as RawRecord;
    expect(await hashRows([{ a: 1 }, withProto])).toBe(await hashRows([missing, withProto]));
  });

  it('hashes the documented text: the sorted column names, then one JSON line of cells per row', async () => {
    const text = '["a","b"]\n[1,"x"]\n[2,null]';
    expect(await hashRows([{ b: 'x', a: 1 }, { a: 2 }])).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('featureWords', () => {
  it("prefers the caller's words for an event feature over the built-in ones", () => {
    const mine = { label: 'returns', text: '{n} returns' };
    expect(featureWords(['log_refunds_total'], { log_refunds_total: mine })).toEqual({ log_refunds_total: mine });
  });

  it('gives no words to a column named like an inherited property (constructor, toString)', () => {
    expect(featureWords(['constructor', 'toString'], {})).toEqual({});
  });
});

describe('hashPosition', () => {
  it('is FNV-1a then murmur3\'s 32-bit finaliser: the same positions in every version, so hold-out groups stay put', () => {
    // Computed independently (Python) from the two published algorithms.
    expect(hashPosition('churnkit\u0000customer-42')).toBe(0.8103019818663597);
    expect(hashPosition('c1')).toBe(0.020313586574047804);
    expect(hashPosition('c2')).toBe(0.35141260689124465);
    expect(hashPosition('')).toBe(0.6689221884589642);
  });

  it('spreads sequential ids evenly over [0, 1)', () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const position = hashPosition(`c${i}`);
      expect(position >= 0 && position < 1).toBe(true);
      deciles[Math.floor(position * 10)]!++;
    }
    for (const count of deciles) expect(Math.abs(count - 1000)).toBeLessThan(100);
  });
});

describe('initialParameters', () => {
  it('starts a logistic regression at zero whatever the seed', () => {
    const parameters = initialParameters({ inputs: 5, layers: [{ units: 1, activation: 'sigmoid' }] }, createRandom(9));
    expect(Array.from(parameters)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('draws ReLU weights with He variance 2 / fan-in, the next layer from its own fan-in, and zero biases', () => {
    const shape = { inputs: 400, layers: [{ units: 100, activation: 'relu' as const }, { units: 200, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }] };
    const parameters = initialParameters(shape, createRandom(1));
    expect(parameters).toHaveLength(400 * 100 + 100 + 100 * 200 + 200 + 200 + 1);
    const first = parameters.subarray(0, 400 * 100);
    const second = parameters.subarray(400 * 100 + 100, 400 * 100 + 100 + 100 * 200);
    expect(variance(first) / (2 / 400)).toBeCloseTo(1, 1);
    expect(variance(second) / (2 / 100)).toBeCloseTo(1, 1);
    expect(Array.from(parameters.subarray(400 * 100, 400 * 100 + 100)).every((bias) => bias === 0)).toBe(true);
    expect(Array.from(parameters.subarray(400 * 100 + 100 + 100 * 200, 400 * 100 + 100 + 100 * 200 + 200)).every((bias) => bias === 0)).toBe(true);
    const output = parameters.subarray(400 * 100 + 100 + 100 * 200 + 200);
    expect(output.subarray(0, 200).some((weight) => weight !== 0)).toBe(true);
    expect(output[200]).toBe(0);
  });

  it('draws weights of other activations with Glorot variance 2 / (fan-in + fan-out)', () => {
    const shape = { inputs: 300, layers: [{ units: 100, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }] };
    const parameters = initialParameters(shape, createRandom(2));
    expect(variance(parameters.subarray(0, 300 * 100)) / (2 / 400)).toBeCloseTo(1, 1);
  });
});

describe('learningRateAt', () => {
  it('warms up linearly from 10 % of the rate over the first 3 % of steps', () => {
    expect(learningRateAt('cosine', 1, 0, 1000)).toBeCloseTo(0.1, 12);
    expect(learningRateAt('step', 1, 15, 1000)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    expect(learningRateAt('step', 1, 30, 1000)).toBe(1);
  });

  it('decays by a cosine to a floor of 2 % of the rate', () => {
    expect(learningRateAt('cosine', 0.01, 500, 1000)).toBeCloseTo(0.01 * (0.02 + 0.98 * 0.5), 12);
    expect(learningRateAt('cosine', 1, 1000, 1000)).toBeCloseTo(0.02, 12);
    expect(learningRateAt('cosine', 1, 1500, 1000)).toBeCloseTo(0.02, 12);
    expect(learningRateAt('cosine', 1, 750, 1000)).toBeCloseTo(0.02 + 0.98 * 0.5 * (1 + Math.cos(0.75 * Math.PI)), 12);
  });

  it('halves the rate at each quarter under the step schedule, and stays at an eighth past the end', () => {
    expect([100, 250, 500, 750, 999, 1000, 2000].map((step) => learningRateAt('step', 1, step, 1000))).toEqual([1, 0.5, 0.25, 0.125, 0.125, 0.125, 0.125]);
  });

  it('keeps a constant rate constant from the first step', () => {
    expect(learningRateAt('constant', 0.3, 0, 1000)).toBe(0.3);
  });
});

describe('parseTarget', () => {
  it('reads y and n as yes and no', () => {
    expect([parseTarget('y'), parseTarget('Y'), parseTarget('n'), parseTarget(' N ')]).toEqual([1, 1, 0, 0]);
  });

  it('refuses an empty cell, null and NaN instead of reading them as retained', () => {
    for (const value of ['', '  ', null, Number.NaN]) expect(() => parseTarget(value)).toThrow(InputError);
  });

  it('refuses numbers written otherwise than 0 or 1 ("1.0", " 01")', () => {
    for (const value of ['1.0', ' 01', [1]]) expect(() => parseTarget(value)).toThrow(InputError);
  });
});

describe('requireRowsPerFold', () => {
  it('accepts exactly one row of the rarer class per fold', () => {
    expect(() => requireRowsPerFold([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], 3)).not.toThrow();
  });

  it('refuses fewer rows of the rarer class than folds, whichever class is rarer, counting every row', () => {
    expect(() => requireRowsPerFold([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 3)).toThrow(/only 2 rows are labelled 1 \(churned\)/);
    expect(() => requireRowsPerFold([0, 0, 1, 1, 1, 1, 1, 1, 1, 1], 3)).toThrow(/only 2 rows are labelled 0 \(retained\)/);
    expect(() => requireRowsPerFold([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], 4)).toThrow(/only 3 rows are labelled 1/);
  });
});

describe('train options', () => {
  it.each([
    ['validationFraction', { validationFraction: 0.9 }],
    ['momentum', { momentum: 1 }],
    ['seed', { seed: 1.5 }],
    ['hidden[0]', { model: 'mlp', hidden: [0] }],
    ['hidden', { model: 'mlp', hidden: [] }],
    ['sampleWeights[3]', { sampleWeights: rows.map((_, i) => (i === 3 ? -1 : 1)) }],
    ['sampleWeights', { sampleWeights: rows.map(() => 0) }],
    ['dataHash', { dataHash: 'abc123' }],
    ['classWeight', { classWeight: { 0: 1, 1: 2, 2: 3 } }],
    ['epochs', { epochs: 0 }],
    ['patience', { patience: 0 }],
    ['target', { target: '' }],
  ] as const)('refuses %s outside its range before training, naming it', async (name, bad) => {
    const failure = train(rows, { ...quick, ...(bad as object) });
    await expect(failure).rejects.toBeInstanceOf(OptionsError);
    await expect(failure).rejects.toThrow(`train option "${name}"`);
  });

  it('records only that there were sample weights, not the weights', async () => {
    const { file } = await train(rows, { ...quick, epochs: 1, sampleWeights: rows.map(() => 1) });
    expect(file.metadata.options.sampleWeights).toBe('per row');
  });
});

describe('train', () => {
  it('fits the feature spec on the training part only: changing held-out rows leaves it unchanged', async () => {
    const validation = new Set(heldOut(rows, 42));
    const base = await train(rows, { ...quick, epochs: 1 });
    const shifted = rows.map((row, i) => (validation.has(i) ? { ...row, CashbackAmount: 5000, PaymentMode: 'Crypto' } : row));
    const withShiftedHeldOut = await train(shifted, { ...quick, epochs: 1 });
    expect(withShiftedHeldOut.file.featureSpec).toEqual(base.file.featureSpec);
    const trainingRow = rows.findIndex((_, i) => !validation.has(i));
    const withShiftedTraining = await train(rows.map((row, i) => (i === trainingRow ? { ...row, CashbackAmount: 5000 } : row)), { ...quick, epochs: 1 });
    expect(withShiftedTraining.file.featureSpec).not.toEqual(base.file.featureSpec);
  });

  it('measures validation and picks the threshold (max F1) on the held-out rows', async () => {
    const validation = heldOut(rows, 42);
    const { model, file } = await train(rows, quick);
    expect(file.metadata.metrics.validationRows).toBe(validation.length);
    const validationRows = validation.map((row) => rows[row]!);
    const choice = thresholdByMaxF1(labelsOf(validationRows), model.predictBatch(validationRows));
    expect(model.threshold).toBeCloseTo(choice.threshold, 6);
  });

  it('falls back to every row, without validation metrics, when the training part would lack a class', async () => {
    const few = syntheticCustomers(30).map((row, i) => ({ ...row, Churn: i < 2 ? 1 : 0 }));
    const { file } = await train(few, { ...quick, epochs: 2, validationFraction: 0.75 });
    expect(file.metadata.metrics.valAuc).toBeUndefined();
  });

  it('falls back to every row when the held-out part would have churners only', async () => {
    const mostlyChurned = syntheticCustomers(44).map((row, i) => ({ ...row, Churn: i < 4 ? 0 : 1 }));
    const { file } = await train(mostlyChurned, { ...quick, epochs: 2 });
    expect(file.metadata.metrics.valAuc).toBeUndefined();
    expect(file.metadata.metrics.trainF1).toBeGreaterThan(0);
  });

  it('trains every epoch when nothing is held out, however small the patience', async () => {
    const { history } = await train(rows, { ...quick, epochs: 12, patience: 1, validationFraction: 0 });
    expect(history).toHaveLength(12);
  });

  it('refuses a table whose every row churned', async () => {
    const churned = rows.map((row) => ({ ...row, Churn: 1 }));
    await expect(train(churned, quick)).rejects.toMatchObject({ code: 'INPUT_ONE_CLASS' });
  });

  it("records the caller's data hash when given one, the rows' hash otherwise", async () => {
    const given = await train(rows, { ...quick, epochs: 1, dataHash: 'a'.repeat(64) });
    expect(given.file.metadata.dataHash).toBe('a'.repeat(64));
    const own = await train(rows, { ...quick, epochs: 1 });
    expect(own.file.metadata.dataHash).toBe(await hashRows(rows));
  });

  it('stores the 0 %, 1 %, ..., 100 % quantiles of the scores of every row it was given', async () => {
    const { model, file } = await train(rows, quick);
    const sorted = Float64Array.from(model.predictBatch(rows)).sort();
    const expected = Array.from({ length: 101 }, (_, k) => quantileOfSorted(sorted, k / 100));
    file.metadata.scoreQuantiles.forEach((quantile, k) => expect(quantile).toBeCloseTo(expected[k]!, 6));
  });

  it('reports the mean per-row training loss: ln 2 for a logistic regression that barely moves from zero', async () => {
    const { history } = await train(rows, { ...quick, epochs: 1, learningRate: 1e-7, l2: 0, schedule: 'constant' });
    expect(history[0]!.trainLoss).toBeCloseTo(Math.LN2, 4);
  });

  it('follows the schedule step by step: with one batch per epoch, epoch k trains at the rate of step k - 1', async () => {
    const table = syntheticCustomers(60);
    const { history } = await train(table, { ...quick, batchSize: 64, epochs: 10, learningRate: 0.05, schedule: 'cosine', validationFraction: 0 });
    expect(history.map((entry) => entry.learningRate)).toEqual(history.map((_, k) => learningRateAt('cosine', 0.05, k, 10)));
  });

  it('shuffles the training rows with the seed each epoch: a logistic regression on every row depends on it', async () => {
    const options = { ...quick, validationFraction: 0, epochs: 3 };
    const first = await train(rows, { ...options, seed: 1 });
    const again = await train(rows, { ...options, seed: 1 });
    const other = await train(rows, { ...options, seed: 2 });
    expect(decodeWeights(again.file)).toEqual(decodeWeights(first.file));
    expect(decodeWeights(other.file)).not.toEqual(decodeWeights(first.file));
  });

  it("gives a training row weighted 0 no say: rotating the categories among such rows leaves every weight bit-identical", async () => {
    const table = syntheticCustomers(300, 3);
    const validation = new Set(heldOut(table, 42));
    const silent = table.flatMap((_, i) => (i % 3 === 0 && !validation.has(i) ? [i] : []));
    const sampleWeights = table.map((_, i) => (silent.includes(i) ? 0 : 1));
    // Each silenced row takes another's categories: the training part holds the same categories (so the same spec;
    // numbers stay put, as a mean or spread summed in another order can differ in its last bit).
    const rotated = table.map((row, i) => {
      const k = silent.indexOf(i);
      if (k < 0) return row;
      const from = table[silent[(k + 1) % silent.length]!]!;
      return { ...row, Complain: from.Complain, PaymentMode: from.PaymentMode };
    });
    const options = { ...quick, sampleWeights, epochs: 5 };
    const original = await train(table, options);
    const moved = await train(rotated, options);
    expect(moved.file.featureSpec).toEqual(original.file.featureSpec);
    expect(decodeWeights(moved.file)).toEqual(decodeWeights(original.file));
    const unweighted = await train(rotated, { ...options, sampleWeights: undefined });
    expect(decodeWeights(unweighted.file)).not.toEqual(decodeWeights((await train(table, { ...options, sampleWeights: undefined })).file));
  });

  it('balanced class weights raise the predicted churn of a rare class, and so does a heavier churn weight', async () => {
    const options = { ...quick, epochs: 20, validationFraction: 0 };
    const none = mean((await train(rows, options)).model.predictBatch(rows));
    const balanced = mean((await train(rows, { ...options, classWeight: 'balanced' })).model.predictBatch(rows));
    const heavier = mean((await train(rows, { ...options, classWeight: { 0: 1, 1: 4 } })).model.predictBatch(rows));
    expect(mean(labelsOf(rows))).toBeLessThan(0.4);
    expect(balanced).toBeGreaterThan(none + 0.1);
    expect(heavier).toBeGreaterThan(none + 0.1);
  });

  it('counts an epoch as progress only when validation loss improves by more than 1e-4', async () => {
    const { history, file } = await train(rows, { ...quick, epochs: 20, patience: 3, learningRate: 1e-6, schedule: 'constant' });
    expect(history).toHaveLength(4);
    expect(file.metadata.metrics.bestEpoch).toBe(1);
  });

  it("monitored by AUC, keeps the epoch of the best validation AUC", async () => {
    const { history, file } = await train(rows, { ...quick, model: 'mlp', hidden: [16], epochs: 40, learningRate: 0.05, schedule: 'constant', monitor: 'auc', patience: 5 });
    let best = { score: Infinity, epoch: 0 };
    for (const entry of history) if (1 - entry.valAuc! < best.score - 1e-4) best = { score: 1 - entry.valAuc!, epoch: entry.epoch };
    expect(file.metadata.metrics.bestEpoch).toBe(best.epoch);
    expect(file.metadata.metrics.valAuc).toBeCloseTo(1 - best.score, 6);
  });
});
