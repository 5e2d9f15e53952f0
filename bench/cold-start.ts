/**
 * Cold start: for each backend, a fresh `node` process imports it, loads the MLP and computes
 * one probability (cold-start-child.ts). Children run one at a time, backends alternating
 * A B A B across repeats; each figure is the median over repeats with its range.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../src/errors.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import type { ModelFileV1 } from '../src/model/model-file.js';
import { COLD_START_FIXTURES } from './cold-start-fixtures.js';
import type { Backend, CodeSize } from './peers/backend.js';
import { onnxModelBytes } from './peers/onnx-graph.js';
import { roundFigure, type RoundFigure } from './stats.js';
import { MLP_SHAPE, seededParameters } from './workloads.js';

export interface ColdStartFigures {
  /** Fresh process: from importing the backend to the first probability. */
  readonly importToProbabilityMs: RoundFigure;
  /** The part of it spent importing the library's modules. */
  readonly importMs: RoundFigure;
  /** Same, counted from the process's own start (includes Node's boot). */
  readonly sinceProcessStartMs: RoundFigure;
  readonly maxRssBytes: RoundFigure;
  readonly wasmBytes: number;
  readonly nativeBytes: number;
}

interface ChildReport {
  probability: number;
  sinceProcessStartMs: number;
  importToProbabilityMs: number;
  importMs: number;
  maxRssBytes: number;
}

/** The default model as a file, for the extra cold start a storefront pays at boot. */
export interface DefaultModelFixture {
  readonly file: ModelFileV1;
  /** One raw record to score, as the plugin would receive it. */
  readonly record: RawRecord;
}

/** Cold-start id of "parse the default model file, load it, score one raw record". */
export const DEFAULT_MODEL_COLD_START = 'churnkit-default-model';

interface ColdStartContestant {
  readonly id: string;
  readonly codeSize: () => CodeSize;
}

/**
 * Per backend id (and `DEFAULT_MODEL_COLD_START` when a default model is given), the cold
 * start figures over `repeats` fresh processes.
 */
export async function measureColdStarts(
  backends: Backend[],
  options: { repeats: number; defaultModel: DefaultModelFixture | undefined; log: (line: string) => void },
): Promise<Record<string, ColdStartFigures>> {
  const fixtures = mkdtempSync(join(tmpdir(), 'churnkit-bench-'));
  try {
    writeFileSync(join(fixtures, COLD_START_FIXTURES.onnx), onnxModelBytes(MLP_SHAPE, seededParameters(MLP_SHAPE, 2)));
    const contestants: ColdStartContestant[] = backends.map((backend) => ({ id: backend.id, codeSize: () => backend.codeSize() }));
    const simd = backends.find((backend) => backend.id === 'churnkit-simd');
    if (options.defaultModel && simd) {
      writeFileSync(join(fixtures, COLD_START_FIXTURES.model), JSON.stringify(options.defaultModel.file));
      writeFileSync(join(fixtures, COLD_START_FIXTURES.record), JSON.stringify(options.defaultModel.record));
      contestants.push({ id: DEFAULT_MODEL_COLD_START, codeSize: () => simd.codeSize() });
    }
    const reports = new Map<string, ChildReport[]>();
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      for (const contestant of contestants) {
        reports.set(contestant.id, [...(reports.get(contestant.id) ?? []), runChild(contestant.id, fixtures)]);
      }
      options.log(`cold start repeat ${repeat}/${options.repeats}: done`);
    }
    const figures: Record<string, ColdStartFigures> = {};
    for (const contestant of contestants) {
      const runs = reports.get(contestant.id)!;
      figures[contestant.id] = {
        importToProbabilityMs: roundFigure(runs.map((run) => run.importToProbabilityMs)),
        importMs: roundFigure(runs.map((run) => run.importMs)),
        sinceProcessStartMs: roundFigure(runs.map((run) => run.sinceProcessStartMs)),
        maxRssBytes: roundFigure(runs.map((run) => run.maxRssBytes)),
        ...contestant.codeSize(),
      };
    }
    return figures;
  } finally {
    rmSync(fixtures, { recursive: true, force: true });
  }
}

function runChild(id: string, fixtures: string): ChildReport {
  const child = fileURLToPath(new URL('./cold-start-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, id, fixtures], { encoding: 'utf8', timeout: 60_000 });
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !lastLine.startsWith('{')) {
    throw new EngineError('BENCH_COLD_START', `cold-start child for ${id} exited with ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const report = JSON.parse(lastLine) as ChildReport;
  if (!(report.probability > 0 && report.probability < 1)) {
    throw new EngineError('BENCH_COLD_START', `cold-start child for ${id} returned probability ${report.probability}, expected a number in (0, 1)`);
  }
  return report;
}
