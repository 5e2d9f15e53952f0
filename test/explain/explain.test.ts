import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { loadModel } from '../../src/model/churn-model.js';
import { loadEngine } from '../../src/node/index.js';
import { fixtureModel } from '../model/model-fixture.js';

const engines = { js: createJsEngine(), kernel: await loadEngine() };
const logit = (p: number) => Math.log(p / (1 - p));

describe.each([
  ['logreg', 'js'],
  ['mlp', 'js'],
  ['logreg', 'kernel'],
  ['mlp', 'kernel'],
] as const)('explain (%s on the %s engine)', async (kind, engineName) => {
  const { rows, file } = await fixtureModel(kind);
  const model = loadModel(engines[engineName], file);
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
