import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/model/churn-model.js';
import { encodeRecord } from '../../src/model/encode-record.js';
import { parseModelFile } from '../../src/model/model-file.js';
import { percentileOf } from '../../src/model/percentile.js';
import { fixtureModel } from './model-fixture.js';

const engine = createJsEngine();
const { rows, file } = await fixtureModel('mlp');

describe('ChurnModel', () => {
  const model = loadModel(engine, file);

  it('describes itself from the file', () => {
    expect(model.version).toBe('test-1');
    expect(model.threshold).toBe(0.4);
    expect(model.features).toEqual([
      { name: 'Tenure', type: 'numeric' },
      { name: 'Complain', type: 'boolean' },
      { name: 'PaymentMode', type: 'categorical' },
      { name: 'CashbackAmount', type: 'numeric' },
    ]);
    expect(model.metadata.target).toBe('Churn');
    expect(model.toFile()).toBe(file);
  });

  it('scores one record, many records and an encoded matrix alike', () => {
    const batch = model.predictBatch(rows);
    const matrix = new Float32Array(rows.length * model.featureSpec.inputSize);
    rows.forEach((row, r) => encodeRecord(model.featureSpec, row, matrix, r * model.featureSpec.inputSize));
    const fromMatrix = model.predictBatch(matrix);
    rows.forEach((row, r) => {
      expect(model.predict(row)).toBeCloseTo(batch[r]!, 6);
      expect(fromMatrix[r]).toBeCloseTo(batch[r]!, 6);
    });
    expect(() => model.predictBatch(new Float32Array(model.featureSpec.inputSize + 1))).toThrow(InputError);
  });

  it('gives identical predictions after a serialize → parse round trip', async () => {
    const reloaded = loadModel(engine, await parseModelFile(JSON.stringify(model.toFile())));
    expect(reloaded.predictBatch(rows)).toEqual(model.predictBatch(rows));
    expect(reloaded.baseProbability).toBe(model.baseProbability);
    reloaded.dispose();
  });

  it('scores garbage records with a finite probability', () => {
    for (const record of [{}, { Tenure: 'abc', PaymentMode: null }, { Tenure: Infinity, Complain: 'perhaps' }]) {
      const probability = model.predict(record);
      expect(probability).toBeGreaterThanOrEqual(0);
      expect(probability).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a batch that is neither an array of records nor a Float32Array with INPUT_ROWS, naming what came (null threw a TypeError, an object gave an empty result)', () => {
    const model = loadModel(engine, file);
    for (const [batch, named] of [[null, 'null'], [{}, 'an object'], [{ length: 2 }, 'an object'], ['ab', '"ab"'], [new Map(), 'a Map'], [undefined, 'missing']] as const) {
      let thrown: unknown;
      try {
        model.predictBatch(batch as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, named).toBeInstanceOf(InputError);
      expect(thrown, named).toMatchObject({ code: 'INPUT_ROWS', message: `field "predictBatch(records)": expected an array of records or a Float32Array, got ${named}` });
    }
    expect(model.predictBatch([])).toEqual(new Float32Array(0));
  });
});

describe('percentileOf', () => {
  const model = { metadata: { scoreQuantiles: [0, 0.1, 0.1, 0.5, 1] } };

  it('interpolates between the stored quantiles', () => {
    expect(percentileOf(model, 0.05)).toBeCloseTo(12.5, 9);
    expect(percentileOf(model, 0.3)).toBeCloseTo(62.5, 9);
    expect(percentileOf(model, 0.1)).toBeCloseTo(50, 9);
    expect(percentileOf(model, 1)).toBe(100);
    expect(percentileOf(model, -1)).toBe(0);
  });

  it('places a probability tied with a run of equal quantiles at the upper end of the run, at either end of the list', () => {
    expect(percentileOf({ metadata: { scoreQuantiles: [0.2, 0.2, 0.2, 0.6, 0.9, 1] } }, 0.2)).toBeCloseTo(40, 9);
    expect(percentileOf({ metadata: { scoreQuantiles: [0, 0.5, 0.9, 0.9] } }, 0.9)).toBe(100);
  });

  it('refuses a non-finite probability instead of returning NaN', () => {
    expect(() => percentileOf(model, NaN)).toThrow(expect.objectContaining({ name: 'InputError', code: 'INPUT_NOT_FINITE' }));
  });
});
