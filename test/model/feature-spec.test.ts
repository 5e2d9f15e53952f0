import { describe, expect, it } from 'vitest';
import { InputError, OptionsError } from '../../src/errors.js';
import { encodeRecord } from '../../src/model/encode-record.js';
import type { CategoricalColumnSpec, NumericColumnSpec, RawRecord } from '../../src/model/feature-spec.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { MODEL_LIMITS } from '../../src/model/model-limits.js';
import { syntheticCustomers } from './synthetic-customers.js';

const rows = syntheticCustomers(300);
const spec = fitFeatureSpec(rows, { target: 'Churn', id: 'CustomerID' });
const column = (name: string) => spec.columns.find((c) => c.name === name)!;

describe('fitFeatureSpec', () => {
  it('leaves out the target and id and infers column types', () => {
    expect(spec.columns.map((c) => [c.name, c.type])).toEqual([
      ['Tenure', 'numeric'],
      ['Complain', 'boolean'],
      ['PaymentMode', 'categorical'],
      ['CashbackAmount', 'numeric'],
    ]);
  });

  it('sends a value longer than a model file stores to the unknown slot instead of keeping it as a category', () => {
    const long = 'x'.repeat(MODEL_LIMITS.maxNameLength + 1);
    const fitted = fitFeatureSpec([{ note: 'ok', y: 0 }, { note: long, y: 1 }, { note: long, y: 1 }, { note: 'x'.repeat(MODEL_LIMITS.maxNameLength), y: 0 }], { target: 'y' });
    expect(fitted.columns[0]).toMatchObject({ name: 'note', categories: ['ok', 'x'.repeat(MODEL_LIMITS.maxNameLength)], unknownSeen: true });
  });

  it('refuses, before anything is fitted, a column whose name is longer than a model file stores', () => {
    const name = 'n'.repeat(MODEL_LIMITS.maxNameLength + 1);
    expect(() => fitFeatureSpec([{ [name]: 1, y: 0 }, { [name]: 2, y: 1 }], { target: 'y' })).toThrow(
      expect.objectContaining({ code: 'INPUT_NAME_TOO_LONG', message: expect.stringMatching(/has a name longer than the 1,024 characters a model file stores/) }),
    );
  });

  it('merges spelling variants with the default aliases', () => {
    expect((column('PaymentMode') as CategoricalColumnSpec).categories).toEqual([
      'Cash on Delivery',
      'Credit Card',
      'Debit Card',
      'UPI',
    ]);
  });

  it('adds a missing indicator only where training data had gaps', () => {
    expect((column('Tenure') as NumericColumnSpec).missingIndicator).toBe(true);
    expect((column('CashbackAmount') as NumericColumnSpec).missingIndicator).toBe(false);
    // Tenure 2 + Complain 1 + PaymentMode 4 + unknown 1 + Cashback 1
    expect(spec.inputSize).toBe(9);
    expect(spec.baseline).toHaveLength(9);
  });

  it('takes given column types over inferred ones', () => {
    const typed = fitFeatureSpec(rows, { target: 'Churn', id: 'CustomerID', types: { Tenure: 'categorical' } });
    expect(typed.columns[0]!.type).toBe('categorical');
  });

  it('rejects option typos', () => {
    expect(() => fitFeatureSpec(rows, { targt: 'Churn' } as never)).toThrow(OptionsError);
    expect(() => fitFeatureSpec(rows, { clipQuantiles: [0.9, 0.1] })).toThrow(/clipQuantiles/);
  });

  it('refuses, naming the widest column, features wider than any network takes, before anything is trained', () => {
    const wide = Array.from({ length: 5000 }, (_, i) => ({ sku: `s${i}`, spend: i % 97, churned: i % 2 }));
    const fit = (maxCategories: number) => fitFeatureSpec(wide, { target: 'churned', maxCategories, minCategoryCount: 1 });
    expect(fit(4000).inputSize).toBeLessThanOrEqual(MODEL_LIMITS.maxInputs);
    const error = (() => {
      try {
        fit(5000);
      } catch (caught) {
        return caught as InputError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('INPUT_TOO_WIDE');
    expect(error.message).toMatch(/more than the 4,096 a network takes \(widest: "sku" 5,00\d/);
    expect(error.message).toMatch(/maxCategories, now 5000/);
  });
});

describe('encodeRecord', () => {
  const out = new Float32Array(spec.inputSize);

  it('standardises numbers and one-hot encodes categories, whatever the spelling', () => {
    encodeRecord(spec, { Tenure: 5, Complain: 'Yes', PaymentMode: '  cash ON delivery ', CashbackAmount: 150 }, out, 0);
    const tenure = column('Tenure') as NumericColumnSpec;
    expect(out[0]).toBeCloseTo((5 - tenure.mean) / tenure.std, 5);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(1);
    expect(Array.from(out.subarray(3, 8))).toEqual([1, 0, 0, 0, 0]);
    encodeRecord(spec, { PaymentMode: 'COD' }, out, 0);
    expect(Array.from(out.subarray(3, 8))).toEqual([1, 0, 0, 0, 0]);
  });

  it('writes at the offset and nowhere else', () => {
    const wide = new Float32Array(spec.inputSize + 4).fill(-7);
    encodeRecord(spec, rows[0]!, wide, 2);
    expect(wide[0]).toBe(-7);
    expect(wide[1]).toBe(-7);
    expect(wide[spec.inputSize + 2]).toBe(-7);
    expect(wide[spec.inputSize + 3]).toBe(-7);
  });

  it('never writes NaN, whatever the record holds', () => {
    const garbage: unknown[] = [
      {},
      { Tenure: NaN, CashbackAmount: Infinity, Complain: 'maybe', PaymentMode: 42 },
      { Tenure: '  ', CashbackAmount: '-Infinity', Complain: null, PaymentMode: undefined },
      { Tenure: { valueOf: () => 3 }, CashbackAmount: [1, 2], Complain: 17, PaymentMode: {} },
      { Tenure: 'ten', CashbackAmount: 1e308 * 10, Complain: '', PaymentMode: 'Bitcoin' },
      { Tenure: -1e300, CashbackAmount: 'N/A', Complain: true, PaymentMode: '' },
    ];
    for (const record of garbage) {
      out.fill(NaN);
      encodeRecord(spec, record as RawRecord, out, 0);
      for (const value of out) expect(Number.isFinite(value)).toBe(true);
    }
  });

  it('refuses a record that is not an object with an InputError', () => {
    expect(() => encodeRecord(spec, null as never, out, 0)).toThrow(InputError);
    expect(() => encodeRecord(spec, 'Tenure=3' as never, out, 0)).toThrow(/expected a record object/);
  });

  it('imputes the median for missing numbers and flags them', () => {
    const tenure = column('Tenure') as NumericColumnSpec;
    encodeRecord(spec, { Tenure: 'n/a' }, out, 0);
    expect(out[0]).toBeCloseTo((tenure.median - tenure.mean) / tenure.std, 5);
    expect(out[1]).toBe(1);
  });

  it('clips outliers at the fitted quantiles', () => {
    encodeRecord(spec, { CashbackAmount: 1e9 }, out, 0);
    const high = out[8];
    encodeRecord(spec, { CashbackAmount: (column('CashbackAmount') as NumericColumnSpec).clipHigh }, out, 0);
    expect(high).toBe(out[8]);
  });

  it('encodes an unseen category as the training frequencies when the unknown slot was never trained', () => {
    encodeRecord(spec, { PaymentMode: 'Bitcoin' }, out, 0);
    const block = Array.from(out.subarray(3, 8));
    spec.baseline.slice(3, 8).forEach((share, i) => expect(block[i]).toBeCloseTo(share, 6));
  });

  it('is not fooled or polluted by __proto__ keys', () => {
    const record = JSON.parse('{"__proto__": {"Tenure": 999, "polluted": true}, "PaymentMode": "UPI"}') as RawRecord;
    encodeRecord(spec, record, out, 0);
    expect(out[1]).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const hostile = [
      ...rows.slice(0, 50),
      JSON.parse('{"__proto__": {"x": 1}, "constructor": "evil", "Churn": 0, "Tenure": 3}') as RawRecord,
    ];
    const fitted = fitFeatureSpec(hostile, { target: 'Churn', id: 'CustomerID' });
    expect(fitted.columns.map((c) => c.name)).toContain('__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const row = new Float32Array(fitted.inputSize);
    encodeRecord(fitted, {}, row, 0);
    for (const value of row) expect(Number.isFinite(value)).toBe(true);
  });
});

describe('fitFeatureSpec numerics', () => {
  /** Offsets plus small whole numbers: exact doubles, whose true mean and deviation a float64 reference gives without the offset. */
  function offsetColumn(offset: number): { rows: RawRecord[]; mean: number; std: number } {
    const deltas = Array.from({ length: 1_000 }, (_, i) => ((i * 37) % 50) - 25);
    const mean = deltas.reduce((sum, d) => sum + d, 0) / deltas.length;
    const std = Math.sqrt(deltas.reduce((sum, d) => sum + (d - mean) ** 2, 0) / deltas.length);
    return { rows: deltas.map((d) => ({ Amount: offset + d })), mean, std };
  }

  it.each([1e6, 1e10, 1e15])('standardises a column around %s with its true deviation (two passes, shifted)', (offset) => {
    const { rows: offsetRows, mean, std } = offsetColumn(offset);
    expect(std).toBeCloseTo(14.43, 2);
    const fitted = fitFeatureSpec(offsetRows, { clipQuantiles: [0, 1] }).columns[0] as NumericColumnSpec;
    // The one-pass Σx²/n − mean² gave std 1 (variance lost to rounding) at 1e10 and beyond.
    expect(Math.abs(fitted.std - std) / std).toBeLessThan(1e-12);
    expect(fitted.mean - offset).toBeCloseTo(mean, 9);
  });

  it.each([
    ['1e308', 1e308, /value 1e\+308 is beyond ±8\.99e\+307 \(half the largest double\)/],
    ['-1e308', -1e308, /value -1e\+308 is beyond ±8\.99e\+307/],
    ['Infinity', Infinity, /value Infinity is not a finite number/],
    ['"Infinity"', 'Infinity', /value "Infinity" is not a finite number/],
    ['"-Infinity"', '-Infinity', /value "-Infinity" is not a finite number/],
    ['"1e400"', '1e400', /value "1e400" is not a finite number/],
  ])('refuses %s up front, naming the row, the column and the value', (_name, value, message) => {
    const training: RawRecord[] = [{ Amount: 3 }, { Amount: 4 }, { Amount: value }, { Amount: 5 }];
    let error: unknown;
    try {
      fitFeatureSpec(training);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INPUT_UNUSABLE_NUMBER');
    expect((error as InputError).location).toEqual({ row: 3, column: 'Amount' });
    expect((error as InputError).message).toMatch(message);
  });

  it('fits the largest accepted values, ±8.9e307, into a spec that encodes finite values', () => {
    const fitted = fitFeatureSpec([{ Amount: -8.9e307 }, { Amount: 0 }, { Amount: 8.9e307 }], { clipQuantiles: [0, 1] });
    const column = fitted.columns[0] as NumericColumnSpec;
    expect(column.mean).toBe(0);
    expect(column.std / 8.9e307).toBeCloseTo(Math.sqrt(2 / 3), 12);
    const out = new Float32Array(fitted.inputSize);
    encodeRecord(fitted, { Amount: 8.9e307 }, out, 0);
    expect(out[0]).toBeCloseTo(Math.sqrt(1.5), 5);
  });
});
