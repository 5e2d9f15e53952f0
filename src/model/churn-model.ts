import type { Engine, EngineKind, Network } from '../engine/types.js';
import { InputError } from '../errors.js';
import { compileEncoder, type RecordEncoder } from './encode-record.js';
import type { ColumnType, FeatureSpec, RawRecord } from './feature-spec.js';
import { decodeWeights, type ModelFileV1, type ModelMetadata } from './model-file.js';
import { describeValue } from './model-file-schema.js';
import { requireProbabilityOutputs } from './output-checks.js';
import { takeBuildVerification } from './verified-at-build.js';

/**
 * A loaded model: scores raw records with its own engine network. Explanations are attached by
 * `explainable(model)` (`src/explain/explainable.ts`), so what a page or Worker loads to score
 * carries none of their code.
 */
export interface ChurnModel {
  /** Churn probability of one record. Allocation-free: encodes straight into the network's input. */
  predict(record: RawRecord): number;
  /** Probabilities of many records, or of an already encoded row-major matrix (`rows × inputSize`). */
  predictBatch(records: readonly RawRecord[] | Float32Array): Float32Array;
  /** The prediction for the mean training customer: the reference point of explanations. */
  readonly baseProbability: number;
  /** Probability at or above which a customer is flagged as churning (chosen on validation data). */
  readonly threshold: number;
  /** Model version string from the file. */
  readonly version: string;
  /** The engine that runs it (`wasm-simd`, `wasm-scalar` or the `js` fallback), for health checks and metrics. */
  readonly engine: EngineKind;
  /** Raw input columns, in encoding order. */
  readonly features: readonly { name: string; type: ColumnType }[];
  readonly featureSpec: FeatureSpec;
  readonly metadata: ModelMetadata;
  /** The model file this model was loaded from (or trained into). */
  toFile(): ModelFileV1;
  /** Releases the network; the model must not be used afterwards. */
  dispose(): void;
}

/** Rows the network's batch input holds at least (`predictBatch` encodes records into it, this many at a time or more). */
const BATCH_ROWS = 256;

/**
 * Builds a `ChurnModel` from a validated model file (see `parseModelFile`) on an engine.
 * Refuses, with a `ModelFormatError`, a model that could answer anything but a probability:
 * one that scores a probe record (the training mean, all missing, each clip bound, each
 * category, ...) with a non-finite logit (`MODEL_PROBE_FAILED`), or whose weighted sums could
 * overflow float32 for some input (`MODEL_OUTPUT_UNBOUNDED`); see `output-checks.ts`. A model
 * this returns gives a probability in [0, 1] for every record and every encoded row.
 *
 * @example
 * const engine = await loadEngine();
 * const model = loadModel(engine, await parseModelFile(text));
 * model.predict({ Tenure: 1, Complain: 1, PreferredPaymentMode: 'COD' }); // 0.83
 * explainable(model).explain(record, { top: 3 }); // [{ feature: 'Tenure', value: 1, contribution: 1.9 }, ...]
 */
export function loadModel(engine: Engine, file: ModelFileV1): ChurnModel {
  const network = engine.createNetwork(file.architecture, { maxBatch: BATCH_ROWS });
  const parameters = decodeWeights(file);
  network.setParameters(parameters);
  const encode = compileEncoder(file.featureSpec);
  // The shipped model's probes ran when the build embedded it (verified-at-build.ts).
  if (!takeBuildVerification(file)) requireProbabilityOutputs(network, file.architecture, file.featureSpec, parameters, encode);
  return new LoadedChurnModel(network, encode, file);
}

/** The `ChurnModel` `loadModel` returns; exported for `explainable`, not public API. */
export class LoadedChurnModel implements ChurnModel {
  // Declared, not defined (`declare`): the constructor assigns them all, and class fields
  // would put their names in the core a page loads once more (issue 10's 30 KB budget).
  declare readonly baseProbability: number;
  declare readonly threshold: number;
  declare readonly version: string;
  declare readonly engine: EngineKind;
  declare readonly features: readonly { name: string; type: ColumnType }[];
  declare readonly featureSpec: FeatureSpec;
  declare readonly metadata: ModelMetadata;

  constructor(
    readonly network: Network,
    /** The feature spec's record encoder, compiled once. */
    readonly encode: RecordEncoder,
    private readonly file: ModelFileV1,
  ) {
    this.featureSpec = file.featureSpec;
    this.metadata = file.metadata;
    this.threshold = file.metadata.threshold;
    this.version = file.version;
    this.engine = network.engine;
    this.features = file.featureSpec.columns.map((column) => ({ name: column.name, type: column.type }));
    this.baseProbability = network.predictRow(file.featureSpec.baseline);
  }

  predict(record: RawRecord): number {
    this.encode(record, this.network.input, 0);
    return this.network.predictInput();
  }

  /** Records are encoded straight into the network's batch input, `batchCapacity` rows at a time. */
  predictBatch(records: readonly RawRecord[] | Float32Array): Float32Array {
    const { network, encode } = this;
    const inputs = network.shape.inputs;
    if (records instanceof Float32Array) {
      if (records.length % inputs !== 0) {
        throw new InputError('INPUT_MATRIX_SHAPE', `an encoded matrix of ${records.length} floats is not whole rows of ${inputs} inputs`, { field: 'predictBatch(matrix)' });
      }
      return network.predictBatch(records, records.length / inputs);
    }
    if (!Array.isArray(records)) throw new InputError('INPUT_ROWS', `expected an array of records or a Float32Array, got ${describeValue(records)}`, { field: 'predictBatch(records)' });
    const out = new Float32Array(records.length);
    for (let start = 0; start < records.length; start += network.batchCapacity) {
      const rows = Math.min(network.batchCapacity, records.length - start);
      for (let r = 0; r < rows; r++) encode(records[start + r]!, network.batchInput, r * inputs);
      network.predictBatchInput(rows, out.subarray(start, start + rows));
    }
    return out;
  }

  toFile(): ModelFileV1 {
    return this.file;
  }

  dispose(): void {
    this.network.dispose();
  }
}
