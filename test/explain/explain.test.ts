import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { OptionsError } from '../../src/errors.js';
import { explainable } from '../../src/explain/explainable.js';
import { loadModel, type ChurnModel } from '../../src/model/churn-model.js';
import { compileEncoder } from '../../src/model/encode-record.js';
import { columnWidth } from '../../src/model/feature-spec.js';
import { decodeWeights } from '../../src/model/model-file.js';
import { kernelEngine } from '../engine/kernels.js';
import { fixtureModel } from '../model/model-fixture.js';

const engines = { js: createJsEngine(), kernel: await kernelEngine() };
const logit = (p: number) => Math.log(p / (1 - p));

describe.each([
  ['logreg', 'js'],
  ['mlp', 'js'],
  ['logreg', 'kernel'],
  ['mlp', 'kernel'],
] as const)('explain (%s on the %s engine)', async (kind, engineName) => {
  const { rows, file } = await fixtureModel(kind);
  const model = explainable(loadModel(engines[engineName], file));
  // Logistic regression shares are exact up to float32 rounding; integrated gradients
  // also carry quadrature error.
  const tolerance = kind === 'logreg' ? 1e-4 : 0.02;

  it('splits logit(prediction) − logit(baseProbability) over the raw columns (completeness)', () => {
    for (const record of rows.slice(0, 20)) {
      const contributions = model.explain(record);
      const total = contributions.reduce((sum, entry) => sum + entry.contribution, 0);
      const expected = logit(model.predict(record)) - logit(model.baseProbability);
      expect(Math.abs(total - expected)).toBeLessThan(tolerance * Math.max(1, Math.abs(expected)));
    }
  });

  it('lists every raw column once, largest |contribution| first, with the value as given', () => {
    const record = rows[0]!;
    const contributions = model.explain(record);
    expect(contributions.map((c) => c.feature).sort()).toEqual(['CashbackAmount', 'Complain', 'PaymentMode', 'Tenure']);
    for (let i = 1; i < contributions.length; i++) {
      expect(Math.abs(contributions[i - 1]!.contribution)).toBeGreaterThanOrEqual(Math.abs(contributions[i]!.contribution));
    }
    expect(contributions.find((c) => c.feature === 'PaymentMode')!.value).toBe(record.PaymentMode);
    expect(model.explain(record, { top: 2 })).toEqual(contributions.slice(0, 2));
  });

  it('explains a record of garbage with finite contributions', () => {
    const contributions = model.explain({ Tenure: 'soon', Complain: 42, PaymentMode: {} as never });
    for (const entry of contributions) expect(Number.isFinite(entry.contribution)).toBe(true);
    expect(contributions.find((c) => c.feature === 'CashbackAmount')!.value).toBeNull();
  });
});

describe.each([['js'], ['kernel']] as const)('the midpoint attribution (mlp on the %s engine)', async (engineName) => {
  const { rows, file } = await fixtureModel('mlp');
  const model = explainable(loadModel(engines[engineName], file));

  it('is one gradient halfway between the baseline and the record, times their distance', () => {
    const network = engines[engineName].createNetwork(file.architecture);
    network.setParameters(decodeWeights(file));
    const encode = compileEncoder(file.featureSpec);
    const baseline = Float32Array.from(file.featureSpec.baseline);
    for (const record of rows.slice(0, 10)) {
      const input = new Float32Array(baseline.length);
      encode(record, input, 0);
      const midpoint = input.map((x, i) => (x + baseline[i]!) / 2);
      const gradient = new Float32Array(baseline.length);
      network.inputGradient(midpoint, gradient);
      const byHand = new Map<string, number>();
      let slot = 0;
      for (const column of file.featureSpec.columns) {
        let share = 0;
        for (let i = 0; i < columnWidth(column); i++, slot++) share += gradient[slot]! * (input[slot]! - baseline[slot]!);
        byHand.set(column.name, share);
      }
      for (const entry of model.explain(record, { method: 'midpoint' })) expect(entry.contribution).toBeCloseTo(byHand.get(entry.feature)!, 5);
    }
    network.dispose();
  });

  it('converges to integrated gradients as its steps grow', () => {
    for (const record of rows.slice(0, 10)) {
      const reference = new Map(model.explain(record).map((entry) => [entry.feature, entry.contribution]));
      for (const entry of model.explain(record, { method: 'midpoint', steps: 64 })) {
        expect(Math.abs(entry.contribution - reference.get(entry.feature)!)).toBeLessThan(0.02 * Math.max(1, Math.abs(reference.get(entry.feature)!)));
      }
    }
  });

  it('gives the same top reasons, in order, as all reasons cut to the top', () => {
    for (const record of rows.slice(0, 20)) {
      for (const top of [0, 1, 2, 3]) expect(model.explain(record, { method: 'midpoint', top })).toEqual(model.explain(record, { method: 'midpoint' }).slice(0, top));
    }
  });

  it('refuses an unknown method or a step count that is not a positive integer', () => {
    expect(() => model.explain(rows[0]!, { method: 'shapley' as never })).toThrow(/"method" is "shapley"/);
    expect(() => model.explain(rows[0]!, { method: 'midpoint', steps: 0 })).toThrow(OptionsError);
    expect(() => model.explain(rows[0]!, { steps: 1.5 })).toThrow(/"steps" is 1.5/);
  });

  it('refuses a top that is not a number >= 0, NaN included', () => {
    expect(() => model.explain(rows[0]!, { top: Number.NaN })).toThrow(/"top" is NaN; expected a number >= 0/);
    expect(() => model.explain(rows[0]!, { top: -1 })).toThrow(OptionsError);
  });
});

describe('logistic regression', async () => {
  const { rows, file } = await fixtureModel('logreg');
  const model = explainable(loadModel(engines.kernel, file));

  it('is explained exactly whatever the method', () => {
    for (const record of rows.slice(0, 10)) expect(model.explain(record, { method: 'midpoint' })).toEqual(model.explain(record));
  });
});

describe('explainable', async () => {
  const { rows, file } = await fixtureModel('mlp');

  it('attaches explain to the model loadModel returned, once, and returns that same model', () => {
    const model = loadModel(engines.kernel, file);
    expect('explain' in model).toBe(false);
    const explaining = explainable(model);
    expect(explaining).toBe(model);
    const { explain } = explaining;
    expect(explainable(model).explain).toBe(explain);
    expect(explaining.explain(rows[0]!, { top: 2 })).toHaveLength(2);
  });

  it('returns a model with its own explain as it is, and refuses anything else with MODEL_NOT_EXPLAINABLE', () => {
    const model = loadModel(engines.js, file);
    const own = Object.assign(Object.create(model) as typeof model, { explain: () => [] });
    expect(explainable(own)).toBe(own);
    const scoresOnly: ChurnModel = { ...model, predict: (record) => model.predict(record) };
    expect(() => explainable(scoresOnly)).toThrow(expect.objectContaining({ name: 'OptionsError', code: 'MODEL_NOT_EXPLAINABLE' }));
  });
});
