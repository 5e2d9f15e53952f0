/** The targets, each checked against figures measured in this same run. */
import type { TargetResult } from './results-file.js';

export interface TargetInputs {
  /** peer p50 / churnkit-simd p50, per workload and peer. */
  readonly singleRowSpeedup: (workload: 'lr' | 'mlp', peer: string) => number | undefined;
  /** churnkit-simd rows/s / peer rows/s at 65,536 rows. */
  readonly largeBatchRatio: (workload: 'lr' | 'mlp', peer: string) => number | undefined;
  readonly rawRecordP50Us: number | undefined;
  readonly trainingEpochSpeedup: number | undefined;
  readonly secondsToAuc963: number | undefined;
  readonly secondsToAuc977: number | undefined;
  readonly coldStartMs: number | undefined;
  readonly releaseWasmBytes: number | undefined;
  /** churnkit-simd peak RSS minus plain JS peak RSS, in MiB. */
  readonly extraRssMiB: number | undefined;
}

export function evaluateTargets(inputs: TargetInputs): TargetResult[] {
  const atLeast = (name: string, measured: number | undefined, bar: number, unit = 'x'): TargetResult => ({
    name,
    measured: measured === undefined ? null : round(measured),
    target: `>= ${bar}${unit}`,
    met: measured !== undefined && measured >= bar,
  });
  const below = (name: string, measured: number | undefined, bar: number, unit: string, strict = false): TargetResult => ({
    name,
    measured: measured === undefined ? null : round(measured),
    target: `${strict ? '<' : '<='} ${bar} ${unit}`,
    met: measured !== undefined && (strict ? measured < bar : measured <= bar),
  });
  return [
    atLeast('MLP single-row p50 speed-up vs onnxruntime-node', inputs.singleRowSpeedup('mlp', 'ort-node'), 15),
    atLeast('MLP single-row p50 speed-up vs tfjs-wasm', inputs.singleRowSpeedup('mlp', 'tfjs-wasm'), 25),
    atLeast('MLP single-row p50 speed-up vs plain JS', inputs.singleRowSpeedup('mlp', 'plain-js'), 5),
    atLeast('LR single-row p50 speed-up vs plain JS (no slower)', inputs.singleRowSpeedup('lr', 'plain-js'), 1),
    atLeast('MLP batch 65,536 throughput vs tfjs-wasm', inputs.largeBatchRatio('mlp', 'tfjs-wasm'), 1.2),
    atLeast('LR batch 65,536 throughput vs tfjs-wasm', inputs.largeBatchRatio('lr', 'tfjs-wasm'), 1.5),
    below('Raw-record scoring p50, default ecommerce model (µs)', inputs.rawRecordP50Us, 2, 'µs', true),
    atLeast('Training time per epoch speed-up vs tfjs-core wasm', inputs.trainingEpochSpeedup, 5),
    below('Wall clock to test AUC >= 0.963, default trainer (s)', inputs.secondsToAuc963, 1.1, 's', true),
    below('Wall clock to test AUC >= 0.977, default trainer (s)', inputs.secondsToAuc977, 1.9, 's', true),
    below('Cold start, import to first probability (ms)', inputs.coldStartMs, 20, 'ms'),
    below('Release .wasm size (bytes)', inputs.releaseWasmBytes, 32768, 'bytes'),
    below('Peak RSS above plain JS (MiB)', inputs.extraRssMiB, 10, 'MiB'),
  ];
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
