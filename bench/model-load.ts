/**
 * `npm run bench:model-load` — what loading a model file costs the process that loads it:
 * wall time, the longest the event loop went without a turn, and peak memory, for the shipped
 * model, a large legitimate model (~23 MB) and the shipped model padded by an attacker to 2 MB
 * and 48 MB (issue 11, item 5). Each load runs in a fresh process, as the CLI or a server's
 * start-up does: `readModelFile` (size check, read, parse and validate), `loadModel`, score one
 * record. Writes
 * bench/results/model-load.json.
 *
 *   node dist/bench/model-load.js [--repeats 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ChurnkitError } from '../src/errors.js';
import { paddedModelText, wideModelText } from './model-load-fixtures.js';
import { peakResidentBytes } from './peak-resident-bytes.js';
import { machineInfo, writeResults, type Cell } from './results-file.js';
import { repoRoot } from './repo-root.js';
import { formatFigure, roundFigure } from './stats.js';

/** What one child measured. */
interface LoadReport {
  /** 'loaded', or the error code the loader refused the file with. */
  outcome: string;
  loadMs: number;
  longestBlockMs: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
}

/** How often the child's watchdog timer asks for a turn of the event loop. */
const TICK_MS = 2;

if (process.argv[2] === '--child') {
  process.stdout.write(`${JSON.stringify(await loadInChild(process.argv[3]!))}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });
  const repeats = Number(values.repeats);
  const loadAtStart = loadavg()[0]!;
  const shipped = JSON.parse(readFileSync(join(repoRoot(), 'models', 'storefront.json'), 'utf8')) as Record<string, unknown>;
  const scratch = mkdtempSync(join(tmpdir(), 'churnkit-model-load-'));
  const fixtures = [
    { name: 'shipped model (models/storefront.json)', text: JSON.stringify(shipped) },
    { name: 'large legitimate model (4,000 categories, 4,008→1,024→64→1 MLP)', text: await wideModelText({ categories: 4000, hidden: 1024 }) },
    { name: 'shipped model padded to 2 MB (metadata.options array)', text: await paddedModelText(shipped, 2e6) },
    { name: 'shipped model padded to 48 MB (metadata.options array)', text: await paddedModelText(shipped, 48e6) },
  ];
  const rows: Cell[][] = [];
  const runs: Record<string, LoadReport[]> = {};
  try {
    for (const [index, fixture] of fixtures.entries()) {
      const file = join(scratch, `model-${index}.json`);
      writeFileSync(file, fixture.text);
      const reports = Array.from({ length: repeats }, () => runChild(file));
      runs[fixture.name] = reports;
      const load = roundFigure(reports.map((report) => report.loadMs));
      const block = roundFigure(reports.map((report) => report.longestBlockMs));
      const peak = roundFigure(reports.map((report) => (report.peakRssBytes - report.rssBeforeBytes) / 2 ** 20));
      rows.push([fixture.name, round(statSync(file).size / 1e6, 1), reports[0]!.outcome, formatFigure(load, 0), formatFigure(block, 0), formatFigure(peak, 0)]);
      process.stderr.write(`model-load: ${fixture.name}: ${reports[0]!.outcome}, ${formatFigure(load, 0)} ms\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const file = writeResults({
    name: 'model-load',
    title: 'Loading a model file: time, event-loop blocking and memory',
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    tables: [{
      title: `Read, parse and validate, load, first score; fresh process per load, median (min-max) of ${repeats}`,
      columns: ['model file', 'MB', 'outcome', 'load ms', 'longest event-loop block ms', 'peak memory above the idle process MiB'],
      rows,
    }],
    notes: [
      `The longest block is the largest gap between turns of a ${TICK_MS} ms timer while the load runs: how long a server loading this file would leave every request waiting.`,
      'Peak memory is the process\'s peak RSS (VmHWM) minus its RSS just before the file was read.',
      `1-minute load average when the run started: ${loadAtStart.toFixed(1)} (the machine is shared; timings are wall-clock).`,
    ],
    runs,
  });
  process.stderr.write(`wrote ${file}\n`);
}

function runChild(file: string): LoadReport {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8', timeout: 600_000 });
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !lastLine.startsWith('{')) {
    throw new ChurnkitError('BENCH_MODEL_LOAD', `loading ${file} in a child exited with ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return JSON.parse(lastLine) as LoadReport;
}

async function loadInChild(file: string): Promise<LoadReport> {
  const { loadModel, ChurnkitError: ExpectedError } = await import('../src/index.js');
  const { loadEngine, readModelFile } = await import('../src/node/index.js');
  const engine = await loadEngine();
  const rssBeforeBytes = process.memoryUsage().rss;
  let longestBlockMs = 0;
  let lastTick = performance.now();
  const watchdog = setInterval(() => {
    const now = performance.now();
    longestBlockMs = Math.max(longestBlockMs, now - lastTick);
    lastTick = now;
  }, TICK_MS);
  const started = performance.now();
  let outcome = 'loaded';
  try {
    const model = loadModel(engine, await readModelFile(file));
    if (!(model.predict({}) >= 0)) outcome = 'scored NaN';
  } catch (error) {
    if (!(error instanceof ExpectedError)) throw error;
    outcome = error.code;
  }
  const loadMs = performance.now() - started;
  longestBlockMs = Math.max(longestBlockMs, performance.now() - lastTick);
  clearInterval(watchdog);
  return { outcome, loadMs, longestBlockMs, rssBeforeBytes, peakRssBytes: peakResidentBytes() };
}


function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
