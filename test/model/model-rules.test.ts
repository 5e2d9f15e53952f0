import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { InputError } from '../../src/errors.js';
import { loadModel } from '../../src/model/churn-model.js';
import { encodeRecord } from '../../src/model/encode-record.js';
import type { CategoricalColumnSpec, ColumnSpec, FeatureSpec, NumericColumnSpec, RawRecord } from '../../src/model/feature-spec.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { fitReference } from '../../src/model/fit-reference.js';
import { serializeModel, type ModelContents } from '../../src/model/model-file.js';
import { fixtureModel } from './model-fixture.js';

const { contents, rows } = await fixtureModel('mlp');

/** The fixture's contents with a changed feature spec (the weights still fit: same input size). */
function withSpec(change: (spec: FeatureSpec) => FeatureSpec): ModelContents {
  return { ...contents, featureSpec: change(contents.featureSpec) };
}
const replaceColumn = (spec: FeatureSpec, name: string, change: (column: ColumnSpec) => ColumnSpec): FeatureSpec => ({
  ...spec,
  columns: spec.columns.map((column) => (column.name === name ? change(column) : column)),
});

describe('the model file refuses a feature spec that cannot encode as written', () => {
  it('refuses a numeric column whose clipLow is above its clipHigh (MODEL_SPEC_MISMATCH)', async () => {
    const bad = withSpec((spec) => replaceColumn(spec, 'CashbackAmount', (column) => ({ ...(column as NumericColumnSpec), clipLow: 300, clipHigh: 299.5 })));
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SPEC_MISMATCH', message: expect.stringMatching(/clipLow 300 above clipHigh 299\.5/) });
  });

  it('refuses two columns with the same name (MODEL_SPEC_MISMATCH)', async () => {
    const bad = withSpec((spec) => replaceColumn(spec, 'CashbackAmount', (column) => ({ ...column, name: 'Tenure' })));
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SPEC_MISMATCH', message: expect.stringMatching(/repeats column "Tenure"/) });
  });

  it('refuses a baseline longer than the input (MODEL_SPEC_MISMATCH), not only a shorter one', async () => {
    const bad = withSpec((spec) => ({ ...spec, baseline: [...spec.baseline, 0] }));
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SPEC_MISMATCH' });
  });

  it('refuses a standard deviation of 0 (MODEL_SCHEMA): the encoder divides by it', async () => {
    const bad = withSpec((spec) => replaceColumn(spec, 'CashbackAmount', (column) => ({ ...(column as NumericColumnSpec), std: 0 })));
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SCHEMA' });
  });
});

describe('the model file schema', () => {
  it('refuses an output layer that is not a sigmoid: its output would not be a probability', async () => {
    const architecture = { ...contents.architecture, layers: [{ units: 8, activation: 'relu' as const }, { units: 1, activation: 'relu' as const }] };
    await expect(serializeModel({ ...contents, architecture })).rejects.toMatchObject({ code: 'MODEL_SCHEMA' });
  });

  it('refuses a "logreg" with a hidden layer', async () => {
    await expect(serializeModel({ ...contents, architecture: { ...contents.architecture, kind: 'logreg' } })).rejects.toMatchObject({ code: 'MODEL_SCHEMA' });
  });

  it('refuses a trainedAt day that does not exist (February 30)', async () => {
    const metadata = { ...contents.metadata, trainedAt: '2026-02-30T10:00:00.000Z' };
    await expect(serializeModel({ ...contents, metadata })).rejects.toMatchObject({ code: 'MODEL_SCHEMA' });
  });
});

describe('metadata.reference (the training distribution a file keeps)', () => {
  const reference = fitReference(contents.featureSpec, rows, rows.map((_, index) => (index % 100) / 100));
  const withReference = (change: (columns: typeof reference.columns) => typeof reference.columns): ModelContents => ({
    ...contents,
    metadata: { ...contents.metadata, reference: { ...reference, columns: change(reference.columns) } },
  });
  const at = (name: string) => contents.featureSpec.columns.findIndex((column) => column.name === name);

  it('refuses cut points on a categorical column: only numeric columns are binned by value', async () => {
    const payment = at('PaymentMode');
    // Same number of shares as the column has bins, so only the cut points are wrong.
    const bad = withReference((columns) => columns.map((entry, index) => (index === payment ? { ...entry, edges: [1] } : entry)));
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SPEC_MISMATCH', message: expect.stringMatching(/has cut points; only numeric columns have them/) });
  });

  it('refuses two equal cut points: each must be above the one before (MODEL_SCHEMA)', async () => {
    const cashback = at('CashbackAmount');
    const bad = withReference((columns) =>
      columns.map((entry, index) => (index === cashback ? { ...entry, edges: [entry.edges[0]!, ...entry.edges.slice(0, -1)] } : entry)),
    );
    await expect(serializeModel(bad)).rejects.toMatchObject({ code: 'MODEL_SCHEMA', message: expect.stringMatching(/ascending order/) });
  });
});

describe('predictBatch', async () => {
  const model = loadModel(createJsEngine(), await serializeModel(contents));

  it('scores more records than one batch holds exactly as one at a time', () => {
    const many = Array.from({ length: 600 }, (_, i) => rows[i % rows.length]!);
    const batch = model.predictBatch(many);
    // 600 records: several rounds of the network's batch input, the last one partial.
    many.forEach((record, i) => expect(batch[i], `record ${i}`).toBeCloseTo(model.predict(record), 6));
  });

  it('refuses an encoded matrix that is not whole rows (INPUT_MATRIX_SHAPE)', () => {
    const inputs = contents.featureSpec.inputSize;
    expect(() => model.predictBatch(new Float32Array(inputs * 2 + 1))).toThrow(InputError);
    expect(() => model.predictBatch(new Float32Array(inputs * 2 + 1))).toThrow(expect.objectContaining({ code: 'INPUT_MATRIX_SHAPE' }));
  });
});

describe('fitFeatureSpec', () => {
  const column = (spec: FeatureSpec, name: string) => spec.columns.find((c) => c.name === name)!;

  it('gives a constant column std 1, so it encodes as 0', () => {
    const spec = fitFeatureSpec([{ k: 5 }, { k: 5 }, { k: 5 }]);
    expect((column(spec, 'k') as NumericColumnSpec).std).toBe(1);
    const out = new Float32Array(spec.inputSize);
    encodeRecord(spec, { k: 5 }, out);
    expect(out[0]).toBe(0);
  });

  it('adds no missing indicator when missingIndicators is false, even where training data had gaps', () => {
    const spec = fitFeatureSpec([{ k: 1 }, { k: '' }, { k: 3 }], { missingIndicators: false });
    expect((column(spec, 'k') as NumericColumnSpec).missingIndicator).toBe(false);
    expect(spec.inputSize).toBe(1);
  });

  it('reads a column of yes/no with other words in it as categorical, not boolean', () => {
    const spec = fitFeatureSpec([{ c: 'yes' }, { c: 'no' }, { c: 'maybe' }]);
    expect(column(spec, 'c').type).toBe('categorical');
  });

  it("imputes a boolean with the share of true among the known cells, not among all rows", () => {
    const spec = fitFeatureSpec([{ b: true }, { b: false }, { b: null }, { b: true }]);
    expect(column(spec, 'b')).toMatchObject({ type: 'boolean', imputed: 2 / 3 });
  });

  it('keeps the most frequent categories when there are more than maxCategories', () => {
    const values = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'z'];
    const spec = fitFeatureSpec(values.map((c): RawRecord => ({ c })), { maxCategories: 2 });
    expect((column(spec, 'c') as CategoricalColumnSpec).categories).toEqual(['a', 'b']);
  });

  it('marks the unknown slot as seen when rare categories were dropped, even with no missing cell', () => {
    const values = ['a', 'a', 'b', 'b', 'rare'];
    const spec = fitFeatureSpec(values.map((c): RawRecord => ({ c })), { minCategoryCount: 2 });
    expect(column(spec, 'c')).toMatchObject({ categories: ['a', 'b'], unknownSeen: true });
  });

  it('names a category by the alphabetically first of equally frequent spellings, whatever order they came in', () => {
    const spec = fitFeatureSpec([{ c: 'gold' }, { c: 'Gold' }, { c: 'silver' }], { aliases: false });
    expect((column(spec, 'c') as CategoricalColumnSpec).categories).toEqual(['Gold', 'silver']);
  });
});

describe('encodeRecord', () => {
  it('encodes a missing number as the median clipped into the clip range (median below the lower clip quantile)', () => {
    // Clip quantiles [0.6, 0.95]: the median (0.5 quantile) is below clipLow, so a missing cell takes clipLow.
    const training = Array.from({ length: 101 }, (_, i): RawRecord => ({ k: i }));
    const spec = fitFeatureSpec(training, { clipQuantiles: [0.6, 0.95], missingIndicators: false });
    const k = column0(spec);
    expect(k.median).toBeLessThan(k.clipLow);
    const missing = new Float32Array(1);
    const atClipLow = new Float32Array(1);
    encodeRecord(spec, {}, missing);
    encodeRecord(spec, { k: k.clipLow }, atClipLow);
    expect(missing[0]).toBe(atClipLow[0]);
  });

  it('puts an unseen category in the unknown slot when training used that slot', () => {
    const spec = fitFeatureSpec(['a', 'a', 'b', ''].map((c): RawRecord => ({ c })));
    expect(spec.columns[0]).toMatchObject({ categories: ['a', 'b'], unknownSeen: true });
    const out = new Float32Array(spec.inputSize);
    encodeRecord(spec, { c: 'never seen' }, out);
    expect(Array.from(out)).toEqual([0, 0, 1]);
  });
});

function column0(spec: FeatureSpec): NumericColumnSpec {
  return spec.columns[0] as NumericColumnSpec;
}
