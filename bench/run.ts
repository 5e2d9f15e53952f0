/**
 * `npm run bench` — churnkit against the libraries a store would pick instead, in one run:
 * parity check, single-row latency, batch throughput, cold start, raw-record scoring and
 * training. Writes bench/results/latest.json and regenerates bench/RESULTS.md.
 *
 * @example
 *   npm run build && npm run bench -- --quick     # under two minutes
 *   npm run bench                                 # the full run, under ten minutes
 *   npm run bench -- --backends churnkit-simd,ort-node --skip cold-start,training
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { OptionsError } from '../src/errors.js';
import type { Backend, BackendId } from './peers/backend.js';
import { BACKEND_IDS, createBackend, isBackendId } from './peers/registry.js';
import { compareKernels } from './kernel-comparison.js';
import { measureColdStarts } from './cold-start.js';
import { measureRawRecordScoring } from './raw-record.js';
import { measureTraining } from './training.js';
import { latestResults } from './latest-results.js';
import { writeResults } from './results-file.js';
import { writeReport } from './report.js';
import { benchWorkloads } from './workloads.js';

const SECTIONS = ['cold-start', 'raw-record', 'training'] as const;
type Section = (typeof SECTIONS)[number];

interface RunOptions {
  readonly quick: boolean;
  readonly backends: BackendId[];
  readonly skip: Set<Section>;
  /** Some backend or section left out: the results are not the published comparison. */
  readonly partial: boolean;
}

function parseRunOptions(argv: string[]): RunOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      backends: { type: 'string', default: BACKEND_IDS.join(',') },
      skip: { type: 'string', default: '' },
    },
  });
  const backends = values.backends.split(',').filter(Boolean);
  const unknownBackend = backends.find((id) => !isBackendId(id));
  if (unknownBackend !== undefined) throw new OptionsError('BENCH_OPTIONS', `--backends: unknown backend "${unknownBackend}", expected some of ${BACKEND_IDS.join(', ')}`);
  const skip = values.skip.split(',').filter(Boolean);
  const unknownSection = skip.find((section) => !(SECTIONS as readonly string[]).includes(section));
  if (unknownSection !== undefined) throw new OptionsError('BENCH_OPTIONS', `--skip: unknown section "${unknownSection}", expected some of ${SECTIONS.join(', ')}`);
  return {
    quick: values.quick,
    backends: backends as BackendId[],
    skip: new Set(skip as Section[]),
    partial: skip.length > 0 || backends.length < BACKEND_IDS.length,
  };
}

async function main(): Promise<void> {
  const options = parseRunOptions(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const started = performance.now();
  const loadAverageAtStart = loadavg()[0]!;
  const notes: string[] = [];

  const workloads = benchWorkloads();
  const backends: Backend[] = [];
  for (const id of options.backends) {
    const backend = createBackend(id);
    try {
      // A backend that cannot even load (e.g. the kernel not built yet) is reported, not fatal.
      await backend.activate();
      (await backend.load(workloads[0]!.shape, workloads[0]!.parameters, { maxBatch: 1 })).dispose();
      backends.push(backend);
    } catch (error) {
      notes.push(`${id} was not measured: it failed to load (${(error as Error).message}).`);
      log(`skipping ${id}: ${(error as Error).message}`);
    }
  }

  const rounds = options.quick ? 3 : 7;
  const singleRow = { blocks: options.quick ? 15 : 40, targetBlockNs: 2e6, warmupCalls: options.quick ? 2000 : 5000 };
  const kernels = await compareKernels(backends, workloads, {
    rounds,
    singleRow,
    batch: options.quick ? { turns: 2, minimumNsPerTurn: 25e6 } : { turns: 4, minimumNsPerTurn: 50e6 },
    log,
  });

  const rawRecord = options.skip.has('raw-record')
    ? undefined
    : await measureRawRecordScoring(backends, { rounds, singleRow, log });
  const coldStarts = options.skip.has('cold-start')
    ? undefined
    : await measureColdStarts(backends, { repeats: options.quick ? 3 : 7, defaultModel: rawRecord?.defaultModel, log });
  const training = options.skip.has('training')
    ? undefined
    : await measureTraining({ quick: options.quick, log });

  const results = latestResults({
    quick: options.quick,
    backends,
    workloads,
    kernels,
    coldStarts,
    rawRecord: rawRecord?.figures,
    training,
    notes,
    durationSeconds: (performance.now() - started) / 1000,
    loadAverage: { start: loadAverageAtStart, end: loadavg()[0]! },
  });
  if (options.partial || backends.length < options.backends.length) {
    // A partial run must not replace the published figures: it goes to an ignored scratch file.
    log(`partial run (--backends, --skip or a backend failed to load): wrote ${writeResults(results, { scratch: true })}; RESULTS.md left as it was`);
  } else {
    log(`wrote ${writeResults(results)}`);
    const report = writeReport();
    log(`wrote ${report.markdownFile}`);
    for (const error of report.unreadable) log(`RESULTS.md: skipped ${error.message}`);
  }
  for (const target of results.targets ?? []) {
    const verdict = target.measured === null ? 'N/A   ' : target.met ? 'MET   ' : 'MISSED';
    log(`${verdict} ${target.name}: ${target.measured ?? 'not measured'} (target ${target.target})`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
