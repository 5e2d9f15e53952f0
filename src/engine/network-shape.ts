/**
 * Validating a network shape once, when a network is created, into the resolved
 * layer list every backend plans its memory from.
 */
import { OptionsError } from '../errors.js';
import type { Activation, NetworkShape } from './types.js';

/** Numeric activation codes shared with the WebAssembly kernel (`assembly/activations.ts`). */
export const ACTIVATION_CODES: Readonly<Record<Activation, number>> = {
  linear: 0,
  relu: 1,
  tanh: 2,
  sigmoid: 3,
};

/** One layer with its place in the flat parameter vector (the model file's layout). */
export interface ResolvedLayer {
  readonly inputs: number;
  readonly units: number;
  readonly activation: Activation;
  /** Offset of `W[0, 0]` in the flat parameters; `W[i, j]` is at `weightOffset + i * units + j`. */
  readonly weightOffset: number;
  /** Offset of `bias[0]`, right after the weights. */
  readonly biasOffset: number;
}

export interface ResolvedShape {
  readonly layers: readonly ResolvedLayer[];
  readonly parameterCount: number;
}

/** Kernel limit: the layer table in `assembly/layers.ts` holds this many layers. */
export const MAX_LAYERS = 32;
/** Larger layers are surely a mistake for tabular churn data, and would make the arena huge. */
export const MAX_UNITS = 4096;

const ACTIVATIONS = new Set<string>(Object.keys(ACTIVATION_CODES));

/**
 * Checks a shape and computes parameter offsets. The last layer must be the single
 * sigmoid output unit: the engines treat it as a logit and apply the sigmoid themselves,
 * so the loss can be computed from logits (stable for large |z|).
 */
export function resolveShape(shape: NetworkShape): ResolvedShape {
  requireUnitCount(shape?.inputs, 'SHAPE_INPUTS', 'shape.inputs');
  if (!Array.isArray(shape.layers) || shape.layers.length < 1 || shape.layers.length > MAX_LAYERS) {
    throw new OptionsError('SHAPE_LAYERS', `shape.layers must list 1 to ${MAX_LAYERS} layers (the last one is the output unit)`);
  }
  shape.layers.forEach((layer, index) => {
    requireUnitCount(layer?.units, 'SHAPE_UNITS', `shape.layers[${index}].units`);
    if (!ACTIVATIONS.has(layer.activation)) {
      throw new OptionsError('SHAPE_ACTIVATION', `shape.layers[${index}].activation must be one of ${[...ACTIVATIONS].join(', ')}, got ${String(layer.activation)}`);
    }
  });
  const output = shape.layers[shape.layers.length - 1]!;
  if (output.units !== 1 || output.activation !== 'sigmoid') {
    throw new OptionsError('SHAPE_OUTPUT', `the last layer must be { units: 1, activation: 'sigmoid' } (the churn probability), got { units: ${output.units}, activation: '${output.activation}' }`);
  }
  return layoutLayers(shape);
}

function requireUnitCount(value: unknown, code: string, field: string): void {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_UNITS) {
    throw new OptionsError(code, `${field} must be an integer in [1, ${MAX_UNITS}], got ${String(value)}`);
  }
}

/** Every layer's place in the flat parameters, unchecked: for a shape `resolveShape` or the model file's schema has checked. */
export function layoutLayers(shape: NetworkShape): ResolvedShape {
  const layers: ResolvedLayer[] = [];
  let inputs = shape.inputs;
  let offset = 0;
  for (const { units, activation } of shape.layers) {
    layers.push({ inputs, units, activation, weightOffset: offset, biasOffset: offset + inputs * units });
    offset += (inputs + 1) * units;
    inputs = units;
  }
  return { layers, parameterCount: offset };
}

/** Number of parameters a network of this shape has (per layer: inputs × units weights + units biases). */
export function parameterCount(shape: NetworkShape): number {
  return layoutLayers(shape).parameterCount;
}

/** Rows per kernel call when no larger `maxBatch` is asked for: big enough to amortise calls, small enough for L2 cache. */
export const DEFAULT_BATCH_CAPACITY = 512;
/** Largest activation buffer (floats) a batch may need: keeps every kernel offset far inside 32-bit arithmetic. */
const MAX_BATCH_FLOATS = 2 ** 26;

/** The rows `batchInput` holds: `maxBatch` (a positive integer) or the default, whichever is larger. */
export function resolveBatchCapacity(shape: ResolvedShape, inputs: number, maxBatch: number | undefined): number {
  if (maxBatch !== undefined && (!Number.isInteger(maxBatch) || maxBatch < 1)) {
    throw new OptionsError('NETWORK_OPTIONS', `option "maxBatch" must be a positive integer, got ${String(maxBatch)}`);
  }
  const capacity = Math.max(DEFAULT_BATCH_CAPACITY, maxBatch ?? 0);
  const widest = Math.max(inputs, ...shape.layers.map((layer) => layer.units + 3));
  if (capacity * widest > MAX_BATCH_FLOATS) {
    throw new OptionsError('NETWORK_OPTIONS', `option "maxBatch" (${capacity}) x the widest layer (${widest} floats) exceeds ${MAX_BATCH_FLOATS} floats per buffer; use a smaller maxBatch (predictBatch splits larger batches itself)`);
  }
  return capacity;
}
