import type { Engine, EngineKind, Network } from '../engine/types.js';
import { InputError, OptionsError } from '../errors.js';
import { columnContributions, columnLayout, type ColumnLayout, type Contribution } from '../explain/column-contributions.js';
import { gradientScratch, integratedGradients, type GradientScratch } from '../explain/integrated-gradients.js';
import { linearContributions } from '../explain/linear-contributions.js';
import { compileEncoder, type RecordEncoder } from './encode-record.js';
import type { ColumnType, FeatureSpec, RawRecord } from './feature-spec.js';
import { decodeWeights, type ModelFileV1, type ModelMetadata } from './model-file.js';
import { requireProbabilityOutputs } from './output-checks.js';
import { takeBuildVerification } from './verified-at-build.js';

export type { Contribution } from '../explain/column-contributions.js';

/**
 * How an MLP's prediction is attributed to its inputs (logistic regression is always exact):
 * - `integrated-gradients` (default): the path integral by the trapezoid rule, `steps + 1`
 *   gradients (32 steps by default). The reference: shares add up to logit(prediction) −
 *   logit(baseProbability) within about 1 %. About 30 predictions' worth of work.
 * - `midpoint`: the same integral by the midpoint rule with `steps` gradients (1 by default):
 *   one gradient halfway between the baseline and the record, about one prediction's worth.
 *   Agrees with the reference's top-3 reasons most of the time and on their signs almost
 *   always (figures: bench/RESULTS.md, "Reasons"); its shares need not add up exactly. The
 *   Express plugin serves its reasons this way.
 */
export type ExplainMethod = 'integrated-gradients' | 'midpoint';

/** Options of `ChurnModel.explain`. */
export interface ExplainOptions {
  /** Keep only the `top` columns with the largest |contribution| (default: all). */
  top?: number;
  /** Default `integrated-gradients`; see `ExplainMethod`. */
  method?: ExplainMethod;
  /** Gradients along the path for MLP explanations (default 32 for integrated-gradients, 1 for midpoint; ignored for logreg, which is exact). */
  steps?: number;
}

/** A loaded model: scores raw records with its own engine network. */
export interface ChurnModel {
  /** Churn probability of one record. Allocation-free: encodes straight into the network's input. */
  predict(record: RawRecord): number;
  /** Probabilities of many records, or of an already encoded row-major matrix (`rows × inputSize`). */
  predictBatch(records: readonly RawRecord[] | Float32Array): Float32Array;
  /** Per raw column, its share of logit(predict(record)) − logit(baseProbability), largest |share| first. */
  explain(record: RawRecord, options?: ExplainOptions): Contribution[];
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

/** How many rows go through the network at once in `predictBatch`. */
const BATCH_ROWS = 256;
const DEFAULT_STEPS: Record<ExplainMethod, number> = { 'integrated-gradients': 32, midpoint: 1 };
const QUADRATURE = { 'integrated-gradients': 'trapezoid', midpoint: 'midpoint' } as const;

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
 * model.explain(record, { top: 3 }); // [{ feature: 'Tenure', value: 1, contribution: 1.9 }, ...]
 * model.explain(record, { top: 3, method: 'midpoint' }); // about one prediction's cost
 */
export function loadModel(engine: Engine, file: ModelFileV1): ChurnModel {
  const network = engine.createNetwork(file.architecture, { maxBatch: BATCH_ROWS });
  const parameters = decodeWeights(file);
  network.setParameters(parameters);
  // The shipped model's probes ran when the build embedded it (verified-at-build.ts).
  if (!takeBuildVerification(file)) requireProbabilityOutputs(network, file.architecture, file.featureSpec, parameters);
  return new LoadedChurnModel(network, file);
}

class LoadedChurnModel implements ChurnModel {
  readonly baseProbability: number;
  readonly threshold: number;
  readonly version: string;
  readonly engine: EngineKind;
  readonly features: readonly { name: string; type: ColumnType }[];
  readonly featureSpec: FeatureSpec;
  readonly metadata: ModelMetadata;

  private readonly encode: RecordEncoder;
  private readonly inputs: number;
  private readonly batch: Float32Array;
  private readonly baseline: Float32Array;
  /** logreg only: the first-layer weights, for exact explanations. */
  private readonly linearWeights: Float32Array | undefined;
  /** Reused by every explanation: the encoded record, its shares, gradient vectors, column sums. */
  private readonly explained: { input: Float32Array; shares: Float64Array; scratch: GradientScratch; layout: ColumnLayout };

  constructor(
    private readonly network: Network,
    private readonly file: ModelFileV1,
  ) {
    this.featureSpec = file.featureSpec;
    this.metadata = file.metadata;
    this.threshold = file.metadata.threshold;
    this.version = file.version;
    this.engine = network.engine;
    this.features = file.featureSpec.columns.map((column) => ({ name: column.name, type: column.type }));
    this.encode = compileEncoder(file.featureSpec);
    this.inputs = file.architecture.inputs;
    this.batch = new Float32Array(BATCH_ROWS * this.inputs);
    this.baseline = Float32Array.from(file.featureSpec.baseline);
    this.baseProbability = network.predictRow(this.baseline);
    this.linearWeights = file.architecture.kind === 'logreg' ? network.getParameters().slice(0, this.inputs) : undefined;
    this.explained = {
      input: new Float32Array(this.inputs),
      shares: new Float64Array(this.inputs),
      scratch: gradientScratch(this.inputs),
      layout: columnLayout(file.featureSpec),
    };
  }

  predict(record: RawRecord): number {
    this.encode(record, this.network.input, 0);
    return this.network.predictInput();
  }

  predictBatch(records: readonly RawRecord[] | Float32Array): Float32Array {
    if (records instanceof Float32Array) return this.predictMatrix(records);
    const out = new Float32Array(records.length);
    for (let start = 0; start < records.length; start += BATCH_ROWS) {
      const rows = Math.min(BATCH_ROWS, records.length - start);
      for (let r = 0; r < rows; r++) this.encode(records[start + r]!, this.batch, r * this.inputs);
      this.network.predictBatch(this.batch.subarray(0, rows * this.inputs), rows, out.subarray(start, start + rows));
    }
    return out;
  }

  explain(record: RawRecord, options: ExplainOptions = {}): Contribution[] {
    const top = options.top ?? Infinity;
    const method = options.method ?? 'integrated-gradients';
    if (!(top >= 0)) throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "top" is ${top}; expected a number >= 0`);
    if (!Object.hasOwn(DEFAULT_STEPS, method)) {
      throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "method" is ${JSON.stringify(method)}; expected "integrated-gradients" or "midpoint"`);
    }
    const steps = options.steps ?? DEFAULT_STEPS[method];
    if (!Number.isInteger(steps) || steps < 1) {
      throw new OptionsError('OPTIONS_BAD_VALUE', `explain option "steps" is ${steps}; expected an integer >= 1`);
    }
    const { input, shares, scratch, layout } = this.explained;
    this.encode(record, input, 0);
    if (this.linearWeights) linearContributions(this.linearWeights, input, this.baseline, shares);
    else integratedGradients(this.network, input, this.baseline, steps, shares, QUADRATURE[method], scratch);
    return columnContributions(layout, record, shares, top);
  }

  toFile(): ModelFileV1 {
    return this.file;
  }

  dispose(): void {
    this.network.dispose();
  }

  private predictMatrix(matrix: Float32Array): Float32Array {
    if (matrix.length % this.inputs !== 0) {
      throw new InputError(
        'INPUT_MATRIX_SHAPE',
        `an encoded matrix of ${matrix.length} floats is not whole rows of ${this.inputs} inputs`,
        { field: 'predictBatch(matrix)' },
      );
    }
    const rowCount = matrix.length / this.inputs;
    const out = new Float32Array(rowCount);
    for (let start = 0; start < rowCount; start += BATCH_ROWS) {
      const rows = Math.min(BATCH_ROWS, rowCount - start);
      this.network.predictBatch(
        matrix.subarray(start * this.inputs, (start + rows) * this.inputs),
        rows,
        out.subarray(start, start + rows),
      );
    }
    return out;
  }
}
