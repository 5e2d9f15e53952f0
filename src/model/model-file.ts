import type { NetworkShape } from '../engine/types.js';
import { ModelFormatError } from '../errors.js';
import { base64ToFloats, floatsToBase64 } from './base64-floats.js';
import { canonicalJson } from './canonical-json.js';
import { columnWidth, type FeatureSpec } from './feature-spec.js';
import { looksTruncated } from './json-truncation.js';
import { modelFileSchema, type ModelArchitecture, type ModelFileV1, type ModelMetadata } from './model-file-schema.js';
import { sha256Hex } from './sha256.js';

export type { ModelArchitecture, ModelFileV1, ModelMetadata } from './model-file-schema.js';

export const MODEL_FORMAT = 'churnkit-model';
export const MODEL_FORMAT_VERSION = 1;

/** Everything a model file holds, before encoding. */
export interface ModelContents {
  version: string;
  architecture: ModelArchitecture;
  featureSpec: FeatureSpec;
  /** Flat parameters in the engine's layout (per layer: W input-major, then bias). */
  parameters: ArrayLike<number>;
  metadata: ModelMetadata;
}

/** Number of parameters a network of this shape has (per layer: inputs × units weights + units biases). */
export function parameterCount(shape: NetworkShape): number {
  let inputs = shape.inputs;
  let total = 0;
  for (const layer of shape.layers) {
    total += inputs * layer.units + layer.units;
    inputs = layer.units;
  }
  return total;
}

/**
 * Builds a model file: encodes the weights, then signs everything with a SHA-256
 * checksum over its canonical JSON. The result is re-validated, so a file this
 * function returns always parses.
 *
 * @example
 * const file = await serializeModel({ version: '1', architecture, featureSpec, parameters, metadata });
 * await writeFile('model.json', JSON.stringify(file, null, 2));
 */
export async function serializeModel(contents: ModelContents): Promise<ModelFileV1> {
  const unsigned = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version: contents.version,
    architecture: contents.architecture,
    featureSpec: contents.featureSpec,
    weights: { encoding: 'base64-f32le', count: contents.parameters.length, data: floatsToBase64(contents.parameters) },
    metadata: contents.metadata,
  };
  const signed = { ...unsigned, checksum: { algorithm: 'sha-256', value: await modelChecksum(unsigned) } };
  // Round-trip through JSON text: what we return is exactly what a reader will see.
  return parseModelFile(JSON.stringify(signed), { file: '(serializeModel)' });
}

/** SHA-256 (hex) of the canonical JSON of a model file without its `checksum` field. */
export async function modelChecksum(file: object): Promise<string> {
  const { checksum: _ignored, ...rest } = file as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Parses and fully validates a model file given as JSON text or an already-parsed
 * value. Throws `ModelFormatError` with a code for each way a file can be wrong:
 * `MODEL_NOT_JSON`, `MODEL_TRUNCATED`, `MODEL_UNKNOWN_FORMAT`, `MODEL_UNSUPPORTED_VERSION`,
 * `MODEL_SCHEMA` (message names the field path), `MODEL_CHECKSUM`, `MODEL_WEIGHT_COUNT`,
 * `MODEL_NON_FINITE_WEIGHT`, `MODEL_SPEC_MISMATCH`.
 *
 * @example
 * const file = await parseModelFile(await readFile('model.json', 'utf8'), { file: 'model.json' });
 * const model = loadModel(engine, file);
 */
export async function parseModelFile(input: string | unknown, options: { file?: string } = {}): Promise<ModelFileV1> {
  const where = { file: options.file };
  const value = typeof input === 'string' ? parseJsonText(input, where) : input;

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError('MODEL_SCHEMA', `expected a JSON object at the top level, got ${describe(value)}`, where);
  }
  const record = value as Record<string, unknown>;
  if (record.format !== MODEL_FORMAT) {
    throw new ModelFormatError(
      'MODEL_UNKNOWN_FORMAT',
      `field "format" is ${describe(record.format)}; expected "${MODEL_FORMAT}" (is this a churnkit model file?)`,
      where,
    );
  }
  if (record.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      'MODEL_UNSUPPORTED_VERSION',
      `field "formatVersion" is ${describe(record.formatVersion)}; this churnkit reads version ${MODEL_FORMAT_VERSION}`,
      where,
    );
  }

  const parsed = modelFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelFormatError('MODEL_SCHEMA', `field "${formatPath(issue.path)}": ${issue.message}`, where);
  }
  const file = parsed.data;

  const expected = await modelChecksum(value);
  if (expected !== file.checksum.value) {
    throw new ModelFormatError(
      'MODEL_CHECKSUM',
      `checksum mismatch: the file says ${file.checksum.value} but its contents hash to ${expected}; it was modified or corrupted after it was written`,
      where,
    );
  }

  checkWeights(file, where);
  checkFeatureSpec(file, where);
  return file;
}

/** The parameters of a validated model file, in the engine's layout. */
export function decodeWeights(file: ModelFileV1): Float32Array {
  const weights = base64ToFloats(file.weights.data);
  if (!weights) throw new ModelFormatError('MODEL_SCHEMA', 'field "weights.data": expected base64 of little-endian float32 values');
  return weights;
}

function parseJsonText(text: string, where: { file: string | undefined }): unknown {
  if (text.trim().length === 0) throw new ModelFormatError('MODEL_NOT_JSON', 'the model file is empty; expected JSON', where);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (looksTruncated(text)) {
      throw new ModelFormatError(
        'MODEL_TRUNCATED',
        `the JSON ends after ${text.length} characters with objects or strings still open; the file looks truncated (interrupted write or download?)`,
        { ...where, cause: error },
      );
    }
    throw new ModelFormatError('MODEL_NOT_JSON', `not valid JSON: ${(error as Error).message}`, { ...where, cause: error });
  }
}

function checkWeights(file: ModelFileV1, where: { file: string | undefined }): void {
  const weights = base64ToFloats(file.weights.data);
  if (!weights) {
    throw new ModelFormatError('MODEL_SCHEMA', 'field "weights.data": expected base64 of little-endian float32 values', where);
  }
  const expected = parameterCount(file.architecture);
  if (weights.length !== expected || file.weights.count !== expected) {
    throw new ModelFormatError(
      'MODEL_WEIGHT_COUNT',
      `the layers ${describeLayers(file.architecture)} need ${expected} weights; "weights.count" says ${file.weights.count} and "weights.data" holds ${weights.length}`,
      where,
    );
  }
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i]!)) {
      throw new ModelFormatError('MODEL_NON_FINITE_WEIGHT', `weight ${i} is ${weights[i]}; expected every weight to be a finite number`, where);
    }
  }
}

function checkFeatureSpec(file: ModelFileV1, where: { file: string | undefined }): void {
  const spec = file.featureSpec;
  const fail = (message: string) => {
    throw new ModelFormatError('MODEL_SPEC_MISMATCH', message, where);
  };
  if (spec.inputSize !== file.architecture.inputs) {
    fail(`"featureSpec.inputSize" is ${spec.inputSize} but "architecture.inputs" is ${file.architecture.inputs}; expected them equal`);
  }
  const width = spec.columns.reduce((sum, column) => sum + columnWidth(column), 0);
  if (width !== spec.inputSize) {
    fail(`the columns of "featureSpec" encode to ${width} inputs but "featureSpec.inputSize" is ${spec.inputSize}`);
  }
  if (spec.baseline.length !== spec.inputSize) {
    fail(`"featureSpec.baseline" has ${spec.baseline.length} values; expected ${spec.inputSize} (one per input)`);
  }
  const names = new Set<string>();
  spec.columns.forEach((column, index) => {
    if (names.has(column.name)) fail(`"featureSpec.columns[${index}].name" repeats column "${column.name}"`);
    names.add(column.name);
    if (column.type === 'numeric' && column.clipLow > column.clipHigh) {
      fail(`"featureSpec.columns[${index}]" (column "${column.name}") has clipLow ${column.clipLow} above clipHigh ${column.clipHigh}`);
    }
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
  return text || '(root)';
}

function describeLayers(architecture: ModelArchitecture): string {
  return [architecture.inputs, ...architecture.layers.map((layer) => layer.units)].join('→');
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
