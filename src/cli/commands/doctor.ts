import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { ChurnkitError } from '../../errors.js';
import { supportsWasmSimd } from '../../engine/simd-support.js';
import { kernelFiles, loadEngine } from '../../node/index.js';
import { packageVersion } from '../package-version.js';

/** What `churnkit doctor` found; `--json` prints exactly this. */
export interface DoctorReport {
  churnkit: string;
  runtime: string;
  platform: string;
  webAssembly: boolean;
  simd: boolean;
  /** The kernel file the engine was compiled from, or null when none loaded. */
  kernelFile: string | null;
  kernelBytes: number | null;
  /** `wasm-simd`, `wasm-scalar`, or `unavailable` with the reason in `problem`. */
  engine: string;
  problem: string | null;
}

/**
 * `churnkit doctor [--json]`: what this installation runs on — package version, runtime,
 * WebAssembly SIMD support, which kernel file loaded and the engine kind. Exits 1 when no
 * kernel loads, with the reason, so a deployment check can run it.
 *
 * @example
 * churnkit doctor
 * // churnkit     0.1.0
 * // runtime      Node v20.20.2 (linux x64)
 * // WebAssembly  yes, with SIMD
 * // kernel       /app/node_modules/churnkit/build/churnkit.simd.wasm (20,571 bytes)
 * // engine       wasm-simd
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show the runtime, SIMD support, the kernel file and the engine this installation uses')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await diagnose();
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      if (report.problem !== null) process.exitCode = 1;
    });
}

async function diagnose(): Promise<DoctorReport> {
  const report: DoctorReport = {
    churnkit: packageVersion(),
    runtime: `Node ${process.version}`,
    platform: `${process.platform} ${process.arch}`,
    webAssembly: typeof WebAssembly === 'object',
    simd: supportsWasmSimd(),
    kernelFile: null,
    kernelBytes: null,
    engine: 'unavailable',
    problem: null,
  };
  try {
    const engine = await loadEngine();
    const file = engine.kind === 'wasm-simd' ? kernelFiles().simd : kernelFiles().scalar;
    return { ...report, engine: engine.kind, kernelFile: file, kernelBytes: statSync(file).size };
  } catch (error) {
    if (!(error instanceof ChurnkitError)) throw error;
    return { ...report, problem: error.message };
  }
}

function formatReport(report: DoctorReport): string {
  const lines = [
    ['churnkit', report.churnkit],
    ['runtime', `${report.runtime} (${report.platform})`],
    ['WebAssembly', report.webAssembly ? `yes, ${report.simd ? 'with SIMD' : 'without SIMD (the scalar kernel runs)'}` : 'no'],
    ['kernel', report.kernelFile === null ? 'none loaded' : `${report.kernelFile} (${report.kernelBytes!.toLocaleString('en-US')} bytes)`],
    ['engine', report.problem === null ? report.engine : `unavailable: ${report.problem}`],
  ];
  return lines.map(([label, value]) => `${label!.padEnd(13)}${value}\n`).join('');
}
