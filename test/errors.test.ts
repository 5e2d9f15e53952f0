import { inspect } from 'node:util';
import { resolve } from 'node:path';
import { build } from 'esbuild';
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

describe('error names', () => {
  it("survive minification, which renames classes: each error is printed by its class's name", async () => {
    // The published bundles are minified; this bundles the error classes the same way and loads them.
    const bundled = await build({
      entryPoints: [resolve(import.meta.dirname, '../src/errors.ts')],
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      logLevel: 'silent',
    });
    const errors = (await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0]!.text).toString('base64')}`)) as typeof import('../src/errors.js');
    const made = [
      new errors.ChurnkitError('C', 'c'),
      new errors.OptionsError('O', 'o'),
      new errors.ModelFormatError('M', 'm'),
      new errors.InputError('I', 'i'),
      new errors.EngineError('E', 'e'),
    ];
    expect(made.map((error) => error.name)).toEqual(['ChurnkitError', 'OptionsError', 'ModelFormatError', 'InputError', 'EngineError']);
    // What Node prints for an uncaught one: the class's name, not "u [OptionsError]".
    expect(made.map((error) => inspect(error).split('\n')[0])).toEqual(['ChurnkitError: c', 'OptionsError: o', 'ModelFormatError: m', 'InputError: i', 'EngineError: e']);
  });

  it("names a user's own subclass by its class", () => {
    class CheckoutError extends ChurnkitError {}
    expect(new CheckoutError('X', 'x').name).toBe('CheckoutError');
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
