import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { toCsvLine } from '../../src/cli/csv-line.js';
import { layerSizes, positiveInteger, positiveNumber } from '../../src/cli/option-parsers.js';
import { modelBandCutoffs, riskBand } from '../../src/model/risk-band.js';

describe('riskBand', () => {
  it('is high at or above the threshold, medium from half of it, low below', () => {
    const cutoffs = modelBandCutoffs(0.35);
    expect(riskBand(0.35, cutoffs)).toBe('high');
    expect(riskBand(0.3499, cutoffs)).toBe('medium');
    expect(riskBand(0.175, cutoffs)).toBe('medium');
    expect(riskBand(0.17, cutoffs)).toBe('low');
  });
});

describe('toCsvLine', () => {
  it('quotes cells holding commas, quotes or line breaks', () => {
    expect(toCsvLine(['a,b', 'say "hi"', 'two\nlines', 3, null])).toBe('"a,b","say ""hi""","two\nlines",3,');
  });

  it('defuses cells a spreadsheet would run as formulas, but not signed numbers', () => {
    expect(toCsvLine(['=HYPERLINK("x")', '@cmd', '-0.5', '+12'])).toBe(`"'=HYPERLINK(""x"")",'@cmd,-0.5,+12`);
  });
});

describe('option parsers', () => {
  it('accept well-formed values', () => {
    expect(positiveInteger('12')).toBe(12);
    expect(positiveNumber('0.003')).toBe(0.003);
    expect(layerSizes('64, 32')).toEqual([64, 32]);
  });

  it('reject anything else as a usage error naming the value', () => {
    expect(() => positiveInteger('0')).toThrow(InvalidArgumentError);
    expect(() => positiveInteger('2.5')).toThrow(/got "2.5"/);
    expect(() => positiveNumber('NaN')).toThrow(/expected a number > 0/);
    expect(() => layerSizes('64,,32')).toThrow(/comma-separated layer sizes/);
  });
});
