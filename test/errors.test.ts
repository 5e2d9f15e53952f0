import { describe, expect, it } from 'vitest';
import { ChurnkitError, excerpt, InputError } from '../src/errors.js';
import { requireProbabilities } from '../src/cli/require-probabilities.js';

describe('values in error messages', () => {
  it('quotes a value whole up to 80 characters, else its start, an ellipsis and its length', () => {
    expect(excerpt('x'.repeat(80))).toBe('x'.repeat(80));
    expect(excerpt('y'.repeat(150_000_000))).toBe(`${'y'.repeat(60)}… (150,000,000 characters)`);
  });

  it('cuts a column or field name in the location prefix', () => {
    const error = new InputError('INPUT_X', 'bad', { file: 'a.csv', column: 'c'.repeat(1_000_000), field: 'f'.repeat(100) });
    expect(error.message).toBe(`a.csv, column "${'c'.repeat(60)}… (1,000,000 characters)", field "${'f'.repeat(60)}… (100 characters)": bad`);
    expect(error.detail).toBe('bad');
  });

  it('bounds every message, even one that quotes a value without excerpt', () => {
    const error = new ChurnkitError('X', `got ${'z'.repeat(5_000_000)}`);
    expect(error.message.length).toBeLessThan(1_100);
    expect(error.message).toMatch(/… \(message cut: 5,000,004 characters\)$/);
  });
});

describe('requireProbabilities (the last guard of churnkit predict)', () => {
  const table = { file: 'customers.csv', columns: [], kinds: new Map(), records: [{}, {}, {}], lines: [2, 3, 5] };

  it('passes probabilities through', () => {
    const scores = Float32Array.of(0, 0.5, 1);
    expect(requireProbabilities(scores, table)).toBe(scores);
  });

  it('names the line and row of the first score that is not a probability', () => {
    expect(() => requireProbabilities(Float32Array.of(0.2, 0.4, Number.NaN), table)).toThrow(
      'customers.csv, line 5, row 3: the model scored NaN, not a probability in [0, 1]; nothing was written',
    );
  });
});
