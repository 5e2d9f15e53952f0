/**
 * The reference distribution a model file keeps of its training data (issue 13, item 4):
 * fitted by `train` from the rows as the model reads them, optional in the format (older files
 * load), and bounded and checked like every other part of a file.
 */
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/errors.js';
import { fitReference } from '../../src/model/fit-reference.js';
import { MODEL_LIMITS, modelChecksum, parseModelFile, serializeModel } from '../../src/model/model-file.js';
import { loadEngine } from '../../src/node/index.js';
import { train } from '../../src/train/train.js';
import { fixtureModel } from './model-fixture.js';
import { syntheticCustomers } from './synthetic-customers.js';

const { rows, contents, file: withoutReference } = await fixtureModel();
const spec = contents.featureSpec;
const scores = rows.map((_, index) => (index % 100) / 100);
const reference = fitReference(spec, rows, scores);
const withReference = await serializeModel({ ...contents, metadata: { ...contents.metadata, reference } });

function column(name: string) {
  const index = spec.columns.findIndex((candidate) => candidate.name === name);
  return { spec: spec.columns[index]!, reference: reference.columns[index]! };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('fitReference', () => {
  it('gives every column and the score shares that add up to one, in the spec\'s column order', () => {
    expect(reference.rows).toBe(rows.length);
    expect(reference.columns.map((entry) => entry.name)).toEqual(spec.columns.map((entry) => entry.name));
    for (const entry of [...reference.columns, reference.score]) expect(sum(entry.shares)).toBeCloseTo(1, 4);
  });

  it('cuts a numeric column at its deciles, with a last bin for the missing cells', () => {
    const tenure = column('Tenure');
    const missing = rows.filter((row) => row.Tenure === '').length / rows.length;
    expect(tenure.spec.type === 'numeric' && tenure.spec.missingIndicator).toBe(true);
    expect(tenure.reference.edges.length).toBeGreaterThan(5);
    expect(tenure.reference.edges).toEqual([...tenure.reference.edges].sort((a, b) => a - b));
    expect(tenure.reference.shares).toHaveLength(tenure.reference.edges.length + 2);
    expect(tenure.reference.shares.at(-1)).toBeCloseTo(missing, 5);
    // Deciles of the present values: no bin holds much more than a tenth plus the ties at an edge.
    for (const share of tenure.reference.shares.slice(0, -1)) expect(share).toBeLessThan(0.2);
  });

  it('counts categories as the model reads them: spelling variants and aliases in their canonical bin', () => {
    const payment = column('PaymentMode');
    if (payment.spec.type !== 'categorical') throw new Error('expected PaymentMode to be categorical');
    const creditCard = payment.spec.categories.indexOf('Credit Card');
    const written = rows.filter((row) => row.PaymentMode === 'Credit Card' || row.PaymentMode === 'CC').length / rows.length;
    expect(payment.reference.edges).toEqual([]);
    expect(payment.reference.shares).toHaveLength(payment.spec.categories.length + 1);
    expect(payment.reference.shares[creditCard]).toBeCloseTo(written, 5);
  });

  it('counts a boolean column as false, true and missing', () => {
    const complain = column('Complain');
    const complained = rows.filter((row) => row.Complain === 'yes').length / rows.length;
    expect(complain.reference.shares).toEqual([expect.closeTo(1 - complained, 5), expect.closeTo(complained, 5), 0]);
  });

  it('cuts the score at its deciles', () => {
    expect(reference.score.edges).toHaveLength(9);
    for (const share of reference.score.shares) expect(share).toBeCloseTo(0.1, 1);
  });
});

describe('train', () => {
  it('writes the reference of its training rows and scores into the model file', async () => {
    const trainingRows = syntheticCustomers(400, 11);
    const { file, model } = await train(trainingRows, { engine: await loadEngine(), target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 5, seed: 2 });
    const written = file.metadata.reference!;
    expect(written.rows).toBe(trainingRows.length);
    expect(written.columns.map((entry) => entry.name)).toEqual(model.features.map((feature) => feature.name));
    const predictions = trainingRows.map((row) => model.predict(row));
    expect(written).toEqual(fitReference(file.featureSpec, trainingRows, Float32Array.from(predictions)));
  });
});

describe('metadata.reference in the model file', () => {
  it('is optional: a file written before it existed still loads', async () => {
    expect(withoutReference.metadata.reference).toBeUndefined();
    await expect(parseModelFile(JSON.stringify(withoutReference))).resolves.toEqual(withoutReference);
  });

  it('round-trips through the text', async () => {
    await expect(parseModelFile(JSON.stringify(withReference))).resolves.toEqual(withReference);
  });

  async function refusal(edit: (copy: any) => void): Promise<ModelFormatError> {
    const copy = structuredClone(withReference) as any;
    edit(copy);
    copy.checksum.value = await modelChecksum(copy);
    try {
      await parseModelFile(JSON.stringify(copy), { file: 'model.json' });
    } catch (error) {
      expect(error).toBeInstanceOf(ModelFormatError);
      return error as ModelFormatError;
    }
    throw new Error('expected parseModelFile to refuse the file');
  }

  const broken: [code: string, message: RegExp, edit: (copy: any) => void][] = [
    ['MODEL_SCHEMA', /field "metadata\.reference\.columns\[0\]\.edges": expected 0 to 99 items, got 100000/, (copy) => {
      copy.metadata.reference.columns[0].edges = Array.from({ length: 100_000 }, (_, k) => k);
    }],
    ['MODEL_SCHEMA', new RegExp(`field "metadata\\.reference\\.score\\.shares": expected 1 to ${MODEL_LIMITS.maxCategories + 1} items`), (copy) => {
      copy.metadata.reference.score.shares = new Array(MODEL_LIMITS.maxCategories + 2).fill(0);
    }],
    ['MODEL_SCHEMA', /field "metadata\.reference\.columns": expected 0 to 10000 items/, (copy) => {
      copy.metadata.reference.columns = new Array(10_001).fill(copy.metadata.reference.columns[0]);
    }],
    ['MODEL_SCHEMA', /field "metadata\.reference\.columns\[0\]\.name": expected at most 1024 characters/, (copy) => {
      copy.metadata.reference.columns[0].name = 'n'.repeat(2000);
    }],
    ['MODEL_SCHEMA', /field "metadata\.reference\.score\.edges\[1\]": expected cut points in ascending order/, (copy) => {
      copy.metadata.reference.score.edges = [0.5, 0.2];
      copy.metadata.reference.score.shares = [0.3, 0.3, 0.4];
    }],
    ['MODEL_SCHEMA', /field "metadata\.reference\.score\.shares\[0\]": expected a number from 0 to 1, got 2/, (copy) => {
      copy.metadata.reference.score.shares[0] = 2;
    }],
    ['MODEL_SCHEMA', /field "metadata\.reference\.bins": unexpected field/, (copy) => {
      copy.metadata.reference.bins = 10;
    }],
    ['MODEL_SPEC_MISMATCH', /"metadata\.reference\.columns\[0\]" is named "Elsewhere"; expected "Tenure"/, (copy) => {
      copy.metadata.reference.columns[0].name = 'Elsewhere';
    }],
    ['MODEL_SPEC_MISMATCH', /"metadata\.reference\.columns" has 1 entries; expected \d+/, (copy) => {
      copy.metadata.reference.columns = copy.metadata.reference.columns.slice(0, 1);
    }],
    ['MODEL_SPEC_MISMATCH', /"metadata\.reference\.columns\[0\]" \(column "Tenure"\) has 2 shares; expected \d+/, (copy) => {
      copy.metadata.reference.columns[0].shares = [0.5, 0.5];
    }],
    ['MODEL_SPEC_MISMATCH', /"metadata\.reference\.score" has 3 shares for 9 cut points/, (copy) => {
      copy.metadata.reference.score.shares = [0.2, 0.3, 0.5];
    }],
  ];

  it.each(broken)('refuses %s: %s', async (code, message, edit) => {
    const error = await refusal(edit);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(600);
  });
});
