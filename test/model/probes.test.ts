/**
 * The load-time probes one by one (src/model/output-checks.ts). The interval bound refuses
 * every model whose sums can overflow, so a real network never fails a probe the bound lets
 * through: these tests use a network that answers wrongly on exactly one row, which is how a
 * kernel or encoder defect would show, to pin which records are probed, on which path, and
 * what counts as a probability.
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import type { Network } from '../../src/engine/types.js';
import { ModelFormatError } from '../../src/errors.js';
import { compileEncoder } from '../../src/model/encode-record.js';
import type { FeatureSpec, RawRecord } from '../../src/model/feature-spec.js';
import { decodeWeights } from '../../src/model/model-file.js';
import { requireProbabilityOutputs } from '../../src/model/output-checks.js';
import { fixtureModel } from './model-fixture.js';

const { file } = await fixtureModel('mlp');
const spec = file.featureSpec;
const parameters = decodeWeights(file);
const encode = compileEncoder(spec);

function sound(): Network {
  const network = createJsEngine().createNetwork(file.architecture);
  network.setParameters(parameters);
  return network;
}

function encoded(record: RawRecord): Float32Array {
  const row = new Float32Array(spec.inputSize);
  encode(record, row, 0);
  return row;
}

function sameRow(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Every record docs/model-format.md says a model must score, worked out from the spec apart from the code under test. */
function documentedProbes(featureSpec: FeatureSpec): { name: string; row: Float32Array }[] {
  const probes = [
    { name: 'the training mean (featureSpec.baseline)', row: Float32Array.from(featureSpec.baseline) },
    { name: 'every column missing', row: encoded({}) },
  ];
  const lows: RawRecord = {};
  const highs: RawRecord = {};
  for (const column of featureSpec.columns) {
    if (column.type === 'numeric') {
      probes.push({ name: `${column.name} = ${column.clipLow} (its lower clip)`, row: encoded({ [column.name]: column.clipLow }) });
      probes.push({ name: `${column.name} = ${column.clipHigh} (its upper clip)`, row: encoded({ [column.name]: column.clipHigh }) });
      lows[column.name] = column.clipLow;
      highs[column.name] = column.clipHigh;
    } else if (column.type === 'categorical') {
      for (const category of column.categories) probes.push({ name: `${column.name} = "${category}"`, row: encoded({ [column.name]: category }) });
      probes.push({ name: `${column.name} = an unseen category`, row: encoded({ [column.name]: 'a spelling no training row had' }) });
    } else {
      probes.push({ name: `${column.name} = true`, row: encoded({ [column.name]: true }) });
      probes.push({ name: `${column.name} = false`, row: encoded({ [column.name]: false }) });
    }
  }
  probes.push({ name: 'every numeric column at its lower clip', row: encoded(lows) });
  probes.push({ name: 'every numeric column at its upper clip', row: encoded(highs) });
  return probes;
}

/**
 * A sound network that answers `probability` (and a logit of `logit`) for exactly the rows equal
 * to `row`, on the paths named, and records every row it was asked to score on each path.
 */
function faulty(row: Float32Array | undefined, fault: { paths: ('single' | 'batch')[]; probability: number; logit?: number }) {
  const network = sound();
  const scored = { single: [] as Float32Array[], batch: [] as Float32Array[] };
  const hits = (candidate: Float32Array, path: 'single' | 'batch') => row !== undefined && fault.paths.includes(path) && sameRow(candidate, row);
  const fake: Network = {
    ...network,
    input: network.input,
    predictInput: () => {
      scored.single.push(network.input.slice());
      return hits(network.input, 'single') ? fault.probability : network.predictInput();
    },
    logitInput: () => (hits(network.input, 'single') && fault.logit !== undefined ? fault.logit : network.logitInput()),
    predictBatch: (matrix: Float32Array, rows: number) => {
      const answers = network.predictBatch(matrix, rows).slice();
      for (let r = 0; r < rows; r++) {
        const candidate = matrix.slice(r * spec.inputSize, (r + 1) * spec.inputSize);
        scored.batch.push(candidate);
        if (hits(candidate, 'batch')) answers[r] = fault.probability;
      }
      return answers;
    },
  };
  return { fake, scored };
}

function check(network: Network): void {
  requireProbabilityOutputs(network, file.architecture, spec, parameters, encode);
}

function refusal(network: Network): ModelFormatError {
  try {
    check(network);
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw error;
  }
  throw new Error('the model was accepted');
}

describe('the load-time probes', () => {
  const probes = documentedProbes(spec);

  it('the fixture has every kind of column, so every kind of probe is exercised', () => {
    expect(new Set(spec.columns.map((column) => column.type))).toEqual(new Set(['numeric', 'categorical', 'boolean']));
  });

  it('scores every documented probe record on both the single-row and the batch path', () => {
    const { fake, scored } = faulty(undefined, { paths: [], probability: 0.5 });
    check(fake);
    for (const probe of probes) {
      expect(scored.single.some((row) => sameRow(row, probe.row)), `single-row path: ${probe.name}`).toBe(true);
      expect(scored.batch.some((row) => sameRow(row, probe.row)), `batch path: ${probe.name}`).toBe(true);
    }
  });

  it('refuses a network that fails any one probe, naming the first probe with that record', () => {
    for (const probe of probes) {
      const { fake } = faulty(probe.row, { paths: ['single'], probability: Number.NaN });
      const error = refusal(fake);
      const first = probes.find((candidate) => sameRow(candidate.row, probe.row))!;
      expect(error.code).toBe('MODEL_PROBE_FAILED');
      expect(error.message).toContain(`the probe "${first.name}" with a probability`);
    }
  });

  it('refuses a fault on the batch path alone, and a non-finite logit alone', () => {
    const mean = probes[0]!.row;
    expect(refusal(faulty(mean, { paths: ['batch'], probability: 1.5 }).fake).message).toMatch(/training mean.*\(batch 1\.5\)/);
    expect(refusal(faulty(mean, { paths: ['single'], probability: 0.5, logit: Number.POSITIVE_INFINITY }).fake).message).toMatch(/logit Infinity, probability 0\.5/);
  });

  it('takes 0 and 1 as probabilities (a saturated sigmoid gives them), and nothing outside', () => {
    const mean = probes[0]!.row;
    for (const edge of [0, 1]) expect(() => check(faulty(mean, { paths: ['single', 'batch'], probability: edge }).fake)).not.toThrow();
    for (const outside of [-1e-7, 1 + 1e-7, Number.NaN]) {
      expect(refusal(faulty(mean, { paths: ['single'], probability: outside }).fake).code).toBe('MODEL_PROBE_FAILED');
      expect(refusal(faulty(mean, { paths: ['batch'], probability: outside }).fake).code).toBe('MODEL_PROBE_FAILED');
    }
  });
});
