import { describe, expect, it } from 'vitest';
import { linearScale } from '../../src/report/charts/linear-scale.js';
import { coordinate } from '../../src/report/charts/svg-text.js';
import { amount, decimal, percent } from '../../src/report/html/format.js';
import { htmlTable } from '../../src/report/html/html-table.js';
import { thinIndices } from '../../src/report/thin-curve.js';

describe('the report page numbers', () => {
  it('writes shares as percentages with one decimal, and metrics with three', () => {
    expect(percent(0.1234)).toBe('12.3\u00a0%');
    expect(percent(0.5, 0)).toBe('50\u00a0%');
    expect(decimal(0.98765)).toBe('0.988');
  });

  it('writes amounts rounded to whole units, grouped by thousands, with a minus sign when negative', () => {
    expect(amount(12345.6)).toBe('12,346');
    expect(amount(1234567)).toBe('1,234,567');
    expect(amount(-1500)).toBe('−1,500');
    expect(amount(999)).toBe('999');
  });

  it('rounds chart coordinates to two decimals', () => {
    expect(coordinate(12.34567)).toBe('12.35');
    expect(coordinate(40)).toBe('40');
  });
});

describe('htmlTable', () => {
  it('escapes every cell, header, caption and number, and makes the first column the row headers', () => {
    const hostile = '<b>x</b>';
    const html = htmlTable(hostile, [hostile, hostile], [[hostile, hostile, { number: hostile }]]);
    expect(html).not.toContain('<b>');
    expect(html.match(/&lt;b&gt;x&lt;\/b&gt;/g)).toHaveLength(6);
    expect(html).toContain('<th scope="row">&lt;b&gt;');
    expect(html).toContain('<td>&lt;b&gt;');
    expect(html).toContain('<td class="num">&lt;b&gt;');
    const row = htmlTable('Confusion matrix', ['', 'flagged', 'not flagged'], [['churned', 'many', { number: '120' }]]);
    expect(row).toContain('<tr><th scope="row">churned</th><td>many</td><td class="num">120</td></tr>');
  });
});

describe('linearScale', () => {
  it('maps its domain onto the range, with round ticks', () => {
    const x = linearScale([0, 1], [40, 440]);
    expect(x(0.5)).toBe(240);
    expect(x(1)).toBe(440);
    expect(x.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('widens a domain of zero width by one each side, so a constant series still draws', () => {
    const y = linearScale([3, 3], [0, 100]);
    expect(y.domain).toEqual([2, 4]);
    expect(y(3)).toBe(50);
  });

  it('extends the domain to round numbers only when asked', () => {
    expect(linearScale([0.13, 0.87], [0, 1]).domain).toEqual([0.13, 0.87]);
    expect(linearScale([0.13, 0.87], [0, 1], { extend: true }).domain).toEqual([0, 1]);
  });
});

describe('thinIndices', () => {
  it('keeps maxPoints indices evenly spaced, the first and the last among them', () => {
    expect(thinIndices(1000, 5)).toEqual([0, 250, 500, 749, 999]);
    expect(thinIndices(3, 5)).toEqual([0, 1, 2]);
  });
});
