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
import type { Backend, BackendId } from './peers/backend.js';
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

export async function measureColdStarts(backends: Backend[], options: { repeats: number; log: (line: string) => void }): Promise<Partial<Record<BackendId, ColdStartFigures>>> {
  const scratch = mkdtempSync(join(tmpdir(), 'churnkit-bench-'));
  try {
    const onnxFile = join(scratch, 'mlp.onnx');
    writeFileSync(onnxFile, onnxModelBytes(MLP_SHAPE, seededParameters(MLP_SHAPE, 2)));
    const reports = new Map<BackendId, ChildReport[]>();
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      for (const backend of backends) {
        reports.set(backend.id, [...(reports.get(backend.id) ?? []), runChild(backend.id, onnxFile)]);
      }
      options.log(`cold start repeat ${repeat}/${options.repeats}: done`);
    }
    const figures: Partial<Record<BackendId, ColdStartFigures>> = {};
    for (const backend of backends) {
      const runs = reports.get(backend.id)!;
      figures[backend.id] = {
        importToProbabilityMs: roundFigure(runs.map((run) => run.importToProbabilityMs)),
        importMs: roundFigure(runs.map((run) => run.importMs)),
        sinceProcessStartMs: roundFigure(runs.map((run) => run.sinceProcessStartMs)),
        maxRssBytes: roundFigure(runs.map((run) => run.maxRssBytes)),
        ...backend.codeSize(),
      };
    }
    return figures;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runChild(id: BackendId, onnxFile: string): ChildReport {
  const child = fileURLToPath(new URL('./cold-start-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, id, onnxFile], { encoding: 'utf8', timeout: 60_000 });
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
