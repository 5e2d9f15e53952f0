/**
 * The results format every bench script writes to `bench/results/<name>.json`, and which
 * `report.ts` renders generically into `bench/RESULTS.md`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

export type Cell = string | number;

export interface ResultsTable {
  readonly title: string;
  readonly columns: string[];
  readonly rows: Cell[][];
}

/** One target from the issue: what it asks for and what this run measured. */
export interface TargetResult {
  readonly name: string;
  /** null when the run could not measure it (the note says why). */
  readonly measured: number | null;
  /** Human-readable bar, e.g. ">= 15x" or "<= 20 ms". */
  readonly target: string;
  readonly met: boolean;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  /** platform, arch, memory… whatever else the writing script records. */
  readonly [extra: string]: unknown;
}

export interface BenchResults {
  readonly name: string;
  readonly title: string;
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  readonly tables: ResultsTable[];
  readonly notes: string[];
  readonly targets?: TargetResult[];
  /** Anything else a script records (raw figures, ratios); report.ts ignores what it does not know. */
  readonly [extra: string]: unknown;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    model: cores[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    totalMemoryBytes: totalmem(),
  };
}

export function resultsFolder(): string {
  return join(repoRoot(), 'bench', 'results');
}

/**
 * Writes `bench/results/<name>.json` and returns its path. A scratch write (partial or
 * exploratory runs) goes to `<name>.tmp` instead: git-ignored and never rendered.
 */
export function writeResults(results: BenchResults, options: { scratch?: boolean; folder?: string } = {}): string {
  const folder = options.folder ?? resultsFolder();
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${results.name}.${options.scratch ? 'tmp' : 'json'}`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
