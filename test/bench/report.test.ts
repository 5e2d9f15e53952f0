import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBarChart } from '../../bench/bar-chart.js';
import { renderReport } from '../../bench/report-markdown.js';
import { readResultsFile, writeReport } from '../../bench/report.js';
import type { BenchResults } from '../../bench/results-file.js';
import { InputError } from '../../src/errors.js';

const machine = { cpus: 2, model: 'Test CPU', node: 'v20.0.0', platform: 'linux', arch: 'x64' };

function results(name: string, extra: Partial<BenchResults> & Record<string, unknown> = {}): BenchResults {
  return {
    name,
    title: `${name} title`,
    generatedAt: '2026-01-01T00:00:00.000Z',
    machine,
    tables: [{ title: `${name} table`, columns: ['backend', 'p50'], rows: [['a | b', 1.5], ['plain', 2]] }],
    notes: [`${name} note`],
    ...extra,
  };
}

describe('renderReport', () => {
  it('renders every results file, the peers comparison first, tables as Markdown with pipes escaped', () => {
    const { markdown } = renderReport([results('http'), results('latest'), results('features')]);
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(['latest title', 'features title', 'http title']);
    expect(markdown).toContain('| backend | p50 |\n| --- | --- |\n| a \\| b | 1.5 |\n| plain | 2 |');
    expect(markdown).toContain('- latest note');
    expect(markdown).toContain('2 × Test CPU, Node v20.0.0, linux/x64');
  });

  it('links the chart a results file describes and returns its SVG to write', () => {
    const chart = { file: 'latency.svg', title: 'Latency', unit: 'µs', logScale: true, groups: ['LR'], bars: [{ label: 'x', values: [0.5] }] };
    const { markdown, charts } = renderReport([results('latest', { chart })]);
    expect(markdown).toContain('![Latency](results/latency.svg)');
    expect(charts).toHaveLength(1);
    expect(charts[0]!.file).toBe('latency.svg');
    expect(charts[0]!.svg).toContain('<svg');
  });

  it('counts the targets met and says how many were not measured', () => {
    const targets = [
      { name: 'fast', measured: 2, target: '>= 1x', met: true },
      { name: 'slow', measured: 0.5, target: '>= 1x', met: false },
      { name: 'absent', measured: null, target: '< 2 µs', met: false },
    ];
    expect(renderReport([results('latest', { targets })]).markdown).toContain('**Targets met: 1 of 3** (1 not measured in this run).');
  });

  it('ignores a chart whose file name could escape the results folder', () => {
    const chart = { file: '../../evil.svg', title: 'x', unit: '', logScale: false, groups: ['g'], bars: [] };
    expect(renderReport([results('latest', { chart })]).charts).toEqual([]);
  });
});

describe('renderBarChart', () => {
  it('draws one bar per measured value, labels it, and says "not measured" for missing ones', () => {
    const svg = renderBarChart({
      file: 'c.svg',
      title: 'Speed <fast> & "slow"',
      unit: 'µs',
      logScale: true,
      groups: ['LR', 'MLP'],
      bars: [
        { label: 'churnkit', values: [0.08, 0.45] },
        { label: 'peer', values: [12, null] },
      ],
    });
    expect(svg.match(/<rect [^>]*fill="#(?!ffffff)/g)).toHaveLength(3);
    expect(svg).toContain('0.45 µs');
    expect(svg).toContain('12.0 µs');
    expect(svg).toContain('not measured');
    expect(svg).toContain('Speed &lt;fast&gt; &amp; &quot;slow&quot;');
    expect(svg).not.toContain('NaN');
  });

  it('makes longer bars for larger values on a log scale', () => {
    const svg = renderBarChart({ file: 'c.svg', title: 't', unit: 'µs', logScale: true, groups: ['g'], bars: [{ label: 'small', values: [1] }, { label: 'large', values: [100] }] });
    const widths = [...svg.matchAll(/<rect x="300" y="[\d.]+" width="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(widths).toHaveLength(2);
    expect(widths[1]!).toBeGreaterThan(widths[0]! * 2);
  });
});

describe('readResultsFile and writeReport', () => {
  let folder: string;
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('rejects a results file missing a field, naming the file and the field', () => {
    folder = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const file = join(folder, 'broken.json');
    writeFileSync(file, JSON.stringify({ ...results('broken'), tables: [{ title: 't', columns: ['a'] }] }));
    expect(() => readResultsFile(file)).toThrow(InputError);
    expect(() => readResultsFile(file)).toThrow(/broken\.json.*field "tables\.0\.rows"/);
  });

  it('rejects a file that is not JSON', () => {
    folder = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const file = join(folder, 'garbled.json');
    writeFileSync(file, '{ "name": ');
    expect(() => readResultsFile(file)).toThrow(/garbled\.json: not valid JSON/);
  });

  it('writes RESULTS.md and the chart from every JSON file in the folder, skipping scratch files', () => {
    folder = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const chart = { file: 'latency.svg', title: 'Latency', unit: 'µs', logScale: true, groups: ['LR'], bars: [{ label: 'x', values: [0.5] }] };
    writeFileSync(join(folder, 'latest.json'), JSON.stringify(results('latest', { chart })));
    writeFileSync(join(folder, 'http.json'), JSON.stringify(results('http')));
    writeFileSync(join(folder, 'latest.tmp'), 'not json at all');
    const markdownFile = join(folder, 'RESULTS.md');
    expect(writeReport(folder, markdownFile).unreadable).toEqual([]);
    const markdown = readFileSync(markdownFile, 'utf8');
    expect(markdown).toContain('## latest title');
    expect(markdown).toContain('## http title');
    expect(markdown).not.toContain('could not be rendered');
    expect(readFileSync(join(folder, 'latency.svg'), 'utf8')).toContain('<svg');
  });

  it('still renders the other files when one is broken, and lists the broken one with its reason', () => {
    folder = mkdtempSync(join(tmpdir(), 'bench-report-'));
    writeFileSync(join(folder, 'latest.json'), JSON.stringify(results('latest')));
    writeFileSync(join(folder, 'features.json'), JSON.stringify({ name: 'features' }));
    const markdownFile = join(folder, 'RESULTS.md');
    const { unreadable } = writeReport(folder, markdownFile);
    expect(unreadable).toHaveLength(1);
    const markdown = readFileSync(markdownFile, 'utf8');
    expect(markdown).toContain('## latest title');
    expect(markdown).toMatch(/## Results files that could not be rendered\n\n- .*features\.json, field "title"/);
  });
});
