/**
 * The load-time proof that a model only ever answers with a probability. A file can pass every
 * format check and still be unusable: weights of 3e38 are finite, yet the first weighted sum
 * overflows float32 and every customer scores NaN. Two checks, run by `loadModel` before a
 * model is handed out (so a hot swap refuses it and the old model keeps serving):
 *
 * 1. **Probes**: records a model must be able to score — the training mean, a record with every
 *    column missing (medians, training shares), each numeric column at each clip bound, all at
 *    once at each bound, every category and an unseen one, each boolean both ways — scored on
 *    the single-row and the batch path. Each must give a finite logit and a probability in
 *    [0, 1]; the first that does not is named in the error.
 * 2. **Bound**: interval arithmetic over every input the engines accept (each clamped to ±1e9)
 *    must keep every weighted sum far from float32's overflow (see engine/output-bound.ts). This
 *    is what makes "never NaN" hold for any input, not only for the probes.
 */
import { INPUT_LIMIT } from '../engine/input-limit.js';
import { largestWeightedSum, SAFE_SUM_LIMIT } from '../engine/output-bound.js';
import type { Network } from '../engine/types.js';
import { ModelFormatError } from '../errors.js';
import type { RecordEncoder } from './encode-record.js';
import type { FeatureSpec, RawRecord } from './feature-spec.js';
import type { ModelArchitecture } from './model-file.js';

/** A record, or an already encoded input vector, that a sound model scores with a probability. */
interface Probe {
  readonly name: string;
  readonly record?: RawRecord;
  readonly encoded?: readonly number[];
}

/** A category spelling no training data can have used: exercises the unknown slot. */
const UNSEEN_CATEGORY = '\u0000churnkit probe: unseen category';

/**
 * Throws `ModelFormatError` (`MODEL_PROBE_FAILED`, `MODEL_OUTPUT_UNBOUNDED`) unless the network
 * scores every probe of `spec` with a probability and no input can make it overflow.
 *
 * @example
 * ```ts
 * network.setParameters(parameters);
 * requireProbabilityOutputs(network, file.architecture, file.featureSpec, parameters, compileEncoder(file.featureSpec));
 * ```
 */
export function requireProbabilityOutputs(network: Network, architecture: ModelArchitecture, spec: FeatureSpec, parameters: Float32Array, encode: RecordEncoder): void {
  const probes = probesOf(spec);
  const inputs = spec.inputSize;
  const matrix = new Float32Array(probes.length * inputs);
  probes.forEach((probe, index) => {
    if (probe.encoded) matrix.set(probe.encoded, index * inputs);
    else encode(probe.record!, matrix, index * inputs);
  });
  const batch = network.predictBatch(matrix, probes.length);
  probes.forEach((probe, index) => {
    network.input.set(matrix.subarray(index * inputs, (index + 1) * inputs));
    const logit = network.logitInput();
    const probability = network.predictInput();
    if (!Number.isFinite(logit) || !isProbability(probability) || !isProbability(batch[index]!)) {
      throw new ModelFormatError(
        'MODEL_PROBE_FAILED',
        `the model does not score the probe "${probe.name}" with a probability: logit ${logit}, probability ${probability} ` +
          `(batch ${batch[index]}); a model must give a finite logit and a probability in [0, 1]${largestWeightHint(parameters)}`,
      );
    }
  });
  const worst = largestWeightedSum(architecture, parameters);
  if (!(worst.bound < SAFE_SUM_LIMIT)) {
    throw new ModelFormatError(
      'MODEL_OUTPUT_UNBOUNDED',
      `unit ${worst.unit} of layer ${worst.layer} can reach a weighted sum of ${worst.bound.toPrecision(3)} for inputs within ±${INPUT_LIMIT} ` +
        `(every engine clamps inputs to that), beyond float32's safe range (${SAFE_SUM_LIMIT.toPrecision(3)}): such inputs would score NaN${largestWeightHint(parameters)}`,
    );
  }
}

function isProbability(value: number): boolean {
  return value >= 0 && value <= 1;
}

function largestWeightHint(parameters: Float32Array): string {
  let largest = 0;
  for (const value of parameters) largest = Math.max(largest, Math.abs(value));
  return `; its largest |weight| is ${largest.toPrecision(3)}`;
}

function probesOf(spec: FeatureSpec): Probe[] {
  const probes: Probe[] = [
    { name: 'the training mean (featureSpec.baseline)', encoded: spec.baseline },
    { name: 'every column missing', record: {} },
  ];
  // No prototype: a column named "__proto__" is an own key like any other.
  const lows = Object.create(null) as RawRecord;
  const highs = Object.create(null) as RawRecord;
  for (const column of spec.columns) {
    /** The record of this one column at `value`, named "<column> = <what>". */
    const probe = (value: RawRecord[string], what: string) => probes.push({ name: `${column.name} = ${what}`, record: { [column.name]: value } });
    switch (column.type) {
      case 'numeric':
        probe(column.clipLow, `${column.clipLow} (its lower clip)`);
        probe(column.clipHigh, `${column.clipHigh} (its upper clip)`);
        lows[column.name] = column.clipLow;
        highs[column.name] = column.clipHigh;
        break;
      case 'categorical':
        for (const category of column.categories) probe(category, `"${category}"`);
        probe(UNSEEN_CATEGORY, 'an unseen category');
        break;
      case 'boolean':
        probe(true, 'true');
        probe(false, 'false');
        break;
    }
  }
  probes.push({ name: 'every numeric column at its lower clip', record: lows });
  probes.push({ name: 'every numeric column at its upper clip', record: highs });
  return probes;
}
