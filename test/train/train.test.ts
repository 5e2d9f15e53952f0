import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { InputError, OptionsError } from '../../src/errors.js';
import { describeFeature, displaysOf } from '../../src/explain/describe-feature.js';
import { rocAuc } from '../../src/metrics/index.js';
import { decodeWeights, parseModelFile } from '../../src/model/model-file.js';
import { kernelEngine } from '../engine/kernels.js';
import { parseTarget } from '../../src/train/parse-target.js';
import { train } from '../../src/train/train.js';
import { syntheticCustomers } from '../model/synthetic-customers.js';

const engine = createJsEngine();
const kernel = await kernelEngine();
const rows = syntheticCustomers(600);
const quick = { engine, target: 'Churn', id: 'CustomerID', hidden: [8], epochs: 15, batchSize: 32 } as const;

describe('train', () => {
  it('learns a signal, sets a threshold and fills the metadata the plugin needs', async () => {
    const { model, file, history } = await train(rows, { ...quick, model: 'logreg', epochs: 30 });
    const labels = rows.map((row) => parseTarget(row.Churn));
    expect(rocAuc(labels, model.predictBatch(rows))).toBeGreaterThan(0.8);
    expect(history.length).toBeGreaterThan(0);
    expect(file.metadata).toMatchObject({ target: 'Churn', id: 'CustomerID', rows: 600, seed: 42 });
    expect(file.metadata.positiveRate).toBeCloseTo(labels.filter((l) => l === 1).length / 600, 9);
    expect(file.metadata.scoreQuantiles).toHaveLength(101);
    expect(file.metadata.metrics.valAuc).toBeGreaterThan(0.7);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    expect(file.featureSpec.columns.map((c) => c.name)).not.toContain('CustomerID');
    await expect(parseModelFile(JSON.stringify(file))).resolves.toEqual(file);
  });

  it.each([
    ['js', engine],
    ['kernel', kernel],
  ] as const)('gives identical weights for the same seed and data on the %s engine, different ones for another seed', async (_, chosen) => {
    const first = await train(rows, { ...quick, engine: chosen, seed: 9 });
    const second = await train(rows, { ...quick, engine: chosen, seed: 9 });
    const other = await train(rows, { ...quick, engine: chosen, seed: 10 });
    expect(decodeWeights(second.file)).toEqual(decodeWeights(first.file));
    expect(decodeWeights(other.file)).not.toEqual(decodeWeights(first.file));
  });

  it('stops early when validation loss stops improving and keeps the best epoch', async () => {
    const progress: number[] = [];
    const { history, file } = await train(rows, {
      ...quick,
      hidden: [32, 16],
      epochs: 300,
      learningRate: 0.05,
      l2: 0,
      schedule: 'constant',
      patience: 3,
      onProgress: (entry) => progress.push(entry.epoch),
    });
    expect(history.length).toBeLessThan(300);
    expect(progress).toEqual(history.map((entry) => entry.epoch));
    const best = history.reduce((a, b) => (b.valLoss! < a.valLoss! - 1e-4 ? b : a));
    expect(file.metadata.metrics.bestEpoch).toBe(best.epoch);
    expect(history.length).toBe(best.epoch + 3);
    expect(file.metadata.metrics.valLogLoss).toBeCloseTo(best.valLoss!, 5);
  });

  it('rejects option typos and bad values before training', async () => {
    await expect(train(rows, { ...quick, epoch: 5 } as never)).rejects.toThrow(OptionsError);
    await expect(train(rows, { ...quick, learningRate: -1 })).rejects.toThrow(/learningRate/);
    await expect(train(rows, { ...quick, classWeight: { 0: 1 } as never })).rejects.toThrow(/classWeight\.1/);
    await expect(train(rows, { ...quick, model: 'forest' as never })).rejects.toThrow(/"logreg" or "mlp"/);
  });

  it("carries the features' words in the model file: the caller's for its columns, none for a table of other columns", async () => {
    const display = { Tenure: { label: 'Tenure', unit: 'months' }, Complain: { label: 'complaint', text: 'complaint: {n}' } };
    const worded = await train(rows, { ...quick, model: 'logreg', epochs: 2, display });
    expect(worded.file.metadata.options.display).toEqual(display);
    expect(describeFeature('Tenure', 12, displaysOf(worded.model.metadata))).toBe('Tenure: 12 months');
    await expect(parseModelFile(JSON.stringify(worded.file))).resolves.toEqual(worded.file);
    const plain = await train(rows, { ...quick, model: 'logreg', epochs: 2 });
    expect(plain.file.metadata.options).not.toHaveProperty('display');
  });

  it("gives a model trained on event features the built-in words of those features without being asked", async () => {
    const eventRows = rows.map((row) => ({ Churn: row.Churn, log_refunds_total: row.Complain === 'yes' ? Math.log1p(1) : 0, recency_days: row.Tenure }));
    const { file, model } = await train(eventRows, { ...quick, id: undefined, model: 'logreg', epochs: 2 });
    expect(Object.keys(file.metadata.options.display as object).sort()).toEqual(['log_refunds_total', 'recency_days']);
    expect(describeFeature('log_refunds_total', Math.log1p(1), displaysOf(model.metadata))).toBe('1 refund so far');
  });

  it('refuses words for a column the data does not have, or malformed words, before training, naming them', async () => {
    await expect(train(rows, { ...quick, display: { Tenur: { label: 'Tenure' } } })).rejects.toThrow(/display words for "Tenur" name no feature column/);
    await expect(train(rows, { ...quick, display: { Churn: { label: 'churned' } } })).rejects.toThrow(/"Churn" name no feature column of the data \(the target and id columns are not features\)/);
    const malformed = train(rows, { ...quick, display: { Tenure: { label: '' } } });
    await expect(malformed).rejects.toBeInstanceOf(OptionsError);
    await expect(malformed).rejects.toThrow(/train option "display\.Tenure\.label"/);
  });

  it('names the row and column of an unreadable label', async () => {
    const bad = rows.slice(0, 20).map((row) => ({ ...row }));
    bad[6]!.Churn = 'maybe';
    await expect(train(bad, quick)).rejects.toThrow(InputError);
    await expect(train(bad, quick)).rejects.toThrow(/row 7, column "Churn"/);
  });

  it('refuses a value no column can be fitted on (1e308, its negative) before training, naming the caller\'s own row', async () => {
    for (const huge of [1e308, -1e308]) {
      const hostile = rows.map((row, index) => (index === 123 ? { ...row, CashbackAmount: huge } : row));
      const failure = await train(hostile, quick).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      // Before, it failed after training: 'featureSpec.columns[3].mean ... received null'.
      expect((failure as InputError).message).toMatch(new RegExp(`^row 124, column "CashbackAmount": value ${String(huge).replace('+', '\\+')} is beyond`));
    }
  });

  it('trains on every row, without validation metrics, when too few rows of a class can be held out', async () => {
    const few = syntheticCustomers(40).map((row, i) => ({ ...row, Churn: i < 3 ? 1 : 0 }));
    const { file } = await train(few, { ...quick, epochs: 3 });
    expect(file.metadata.metrics.valAuc).toBeUndefined();
    expect(file.metadata.metrics.epochs).toBe(3);
  });

  it('accepts balanced class weights', async () => {
    const { file } = await train(rows, { ...quick, classWeight: 'balanced', epochs: 5 });
    expect(file.metadata.options.classWeight).toBe('balanced');
  });
});

describe('parseTarget', () => {
  it('reads 0/1, booleans and yes/no in any case', () => {
    expect([1, '1', true, 'TRUE', ' yes ', 'Yes'].map((v) => parseTarget(v))).toEqual([1, 1, 1, 1, 1, 1]);
    expect([0, '0', false, 'false', 'NO', 'no'].map((v) => parseTarget(v))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('throws InputError naming row and column otherwise', () => {
    expect(() => parseTarget('2', { row: 4, column: 'Churn' })).toThrow(/row 4, column "Churn"/);
    expect(() => parseTarget(undefined, { row: 1 })).toThrow(InputError);
  });
});
