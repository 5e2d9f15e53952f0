import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/cli/commands/doctor.js';
import { CLI } from './run-cli.js';

function doctor(nodeFlags: string[] = []): { status: number | null; report: DoctorReport } {
  const run = spawnSync(process.execPath, [...nodeFlags, CLI, 'doctor', '--json'], { encoding: 'utf8' });
  return { status: run.status, report: JSON.parse(run.stdout) as DoctorReport };
}

describe('churnkit doctor', () => {
  it('reports the SIMD kernel file and engine kind on this Node', () => {
    const { status, report } = doctor();
    expect(status).toBe(0);
    expect(report).toMatchObject({ webAssembly: true, simd: true, engine: 'wasm-simd', problem: null });
    expect(report.kernelFile).toMatch(/build[/\\]churnkit\.simd\.wasm$/);
    expect(report.kernelBytes).toBeGreaterThan(1000);
    expect(report.runtime).toBe(`Node ${process.version}`);
  });

  it('reports the scalar kernel when V8 runs without SIMD (as on a CPU without SSE4.1)', () => {
    const { status, report } = doctor(['--no-enable-sse4-1']);
    expect(status).toBe(0);
    expect(report).toMatchObject({ simd: false, engine: 'wasm-scalar' });
    expect(report.kernelFile).toMatch(/churnkit\.scalar\.wasm$/);
  });
});
