import { parameterCount } from '../engine/network-shape.js';
import { excerpt, ModelFormatError, OptionsError } from '../errors.js';
import { base64FloatCount, base64ToFloats, floatsToBase64 } from './base64-floats.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { columnWidth, type FeatureSpec } from './feature-spec.js';
import { jsonTextScanner } from './json-text-scan.js';
import { checkModelFileSchema, describeValue, formatPath, isPlainObject, SchemaViolation, type ModelArchitecture, type ModelFileV1, type ModelMetadata } from './model-file-schema.js';
import { MODEL_LIMITS } from './model-limits.js';
import { referenceBinCount } from './reference-distribution.js';
import { sha256Hex } from './sha256.js';

export type { ModelArchitecture, ModelFileV1, ModelMetadata } from './model-file-schema.js';
export { MODEL_LIMITS } from './model-limits.js';

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
  return sha256Hex(canonicalJsonBytes(rest, MODEL_LIMITS.maxDepth));
}

/** Options of `parseModelFile`. */
export interface ParseModelFileOptions {
  /** Named in every error message (e.g. the path the text was read from). */
  file?: string;
  /**
   * Largest model text accepted, in bytes (in characters for a string). Default
   * `MODEL_LIMITS.maxBytes`, 64 MiB: a 4,000-category, 1,024-unit MLP is 23 MB. Loading
   * peaks at about four times the text's size in memory.
   */
  maxBytes?: number;
}

/** Texts above this size give the event loop a turn between loading steps. */
const PAUSE_ABOVE_CHARACTERS = 2 ** 20;
/** Characters the pre-parse scan covers between two turns of the event loop. */
const SCAN_SLICE_CHARACTERS = 8 * 2 ** 20;

/** Weights decoded while validating, handed to the first `decodeWeights` of the same file (so `loadModel` does not decode them twice). */
const decodedWeights = new WeakMap<ModelFileV1, Float32Array>();

/**
 * Parses and fully validates a model file given as JSON text, its UTF-8 bytes (a byte-order
 * mark is accepted) or an already-parsed value. Throws `ModelFormatError` with a code for each
 * way a file can be wrong: `MODEL_TOO_LARGE`, `MODEL_NOT_JSON`, `MODEL_TRUNCATED`,
 * `MODEL_TOO_DEEP`, `MODEL_UNKNOWN_FORMAT`, `MODEL_UNSUPPORTED_VERSION`, `MODEL_SCHEMA` (message
 * names the field path), `MODEL_CHECKSUM`, `MODEL_WEIGHT_COUNT`, `MODEL_NON_FINITE_WEIGHT`,
 * `MODEL_SPEC_MISMATCH`.
 *
 * Every array, string and nesting level is bounded (`MODEL_LIMITS`) and checked before it is
 * walked; each step is linear in the text's size, and a large text (over 1 MiB) is loaded in
 * steps with a turn of the event loop between them, so a server loading one keeps answering.
 *
 * @example
 * const file = await parseModelFile(await readFile('model.json'), { file: 'model.json' });
 * const model = loadModel(engine, file);
 */
export async function parseModelFile(input: string | Uint8Array | ArrayBuffer | unknown, options: ParseModelFileOptions = {}): Promise<ModelFileV1> {
  const maxBytes = options.maxBytes ?? MODEL_LIMITS.maxBytes;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
    throw new OptionsError('MODEL_OPTIONS', `parseModelFile option "maxBytes" must be a positive integer, got ${String(maxBytes)}`);
  }
  const where = { file: options.file };
  if (typeof input !== 'string' && !(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    return validateModel(input, where, async () => {});
  }
  let source: string | Uint8Array;
  if (typeof input === 'string') {
    checkSize(input.length, maxBytes, 'characters', where);
    source = input;
  } else {
    source = input instanceof Uint8Array ? input : new Uint8Array(input);
    checkSize(source.byteLength, maxBytes, 'bytes', where);
  }
  const pause = source.length > PAUSE_ABOVE_CHARACTERS ? nextTurn : async () => {};
  // Bounds first, on the bytes as they came: a padded or deeply nested file is refused before it is decoded.
  const shape = await scanJson(source, where, pause);
  const text = typeof source === 'string' ? withoutByteOrderMark(source) : decodeUtf8(source, where);
  await pause();
  const value = parseJsonText(text, shape, where);
  await pause();
  return validateModel(value, where, pause);
}

/** The parameters of a validated model file, in the engine's layout. */
export function decodeWeights(file: ModelFileV1): Float32Array {
  const decoded = decodedWeights.get(file);
  if (decoded) {
    decodedWeights.delete(file);
    return decoded;
  }
  const weights = base64ToFloats(file.weights.data);
  if (!weights) throw notBase64Floats();
  return weights;
}

function notBase64Floats(where?: { file: string | undefined }): ModelFormatError {
  return new ModelFormatError('MODEL_SCHEMA', 'field "weights.data": expected base64 of little-endian float32 values', where);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function checkSize(size: number, maxBytes: number, unit: string, where: { file: string | undefined }): void {
  if (size > maxBytes) {
    throw new ModelFormatError(
      'MODEL_TOO_LARGE',
      `the model file is ${size} ${unit}, over the limit of ${maxBytes} (raise it with the maxBytes option if the model is genuinely this large)`,
      where,
    );
  }
}

function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function decodeUtf8(bytes: Uint8Array, where: { file: string | undefined }): string {
  try {
    // TextDecoder drops a leading byte-order mark itself.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ModelFormatError('MODEL_NOT_JSON', 'not valid UTF-8; expected a JSON text', { ...where, cause: error });
  }
}

/** The pre-parse scan, in slices with a turn of the event loop between them; refuses what crosses a bound. */
async function scanJson(source: string | Uint8Array, where: { file: string | undefined }, pause: () => Promise<void>): Promise<{ openAtEnd: boolean }> {
  const scan = jsonTextScanner(source, MODEL_LIMITS);
  let shape = scan(SCAN_SLICE_CHARACTERS);
  for (let until = 2 * SCAN_SLICE_CHARACTERS; shape === undefined; until += SCAN_SLICE_CHARACTERS) {
    await pause();
    shape = scan(until);
  }
  if (shape.kind === 'too-deep') {
    throw new ModelFormatError('MODEL_TOO_DEEP', `the JSON nests deeper than ${MODEL_LIMITS.maxDepth} levels (at offset ${shape.offset}); a model file needs 5`, where);
  }
  if (shape.kind === 'too-many-values') {
    throw new ModelFormatError('MODEL_TOO_LARGE', `the JSON holds more than ${MODEL_LIMITS.maxValues} values (at offset ${shape.offset}); the largest model files hold a few thousand`, where);
  }
  return shape;
}

function parseJsonText(text: string, shape: { openAtEnd: boolean }, where: { file: string | undefined }): unknown {
  if (text.trim().length === 0) throw new ModelFormatError('MODEL_NOT_JSON', 'the model file is empty; expected JSON', where);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (shape.openAtEnd) {
      throw new ModelFormatError(
        'MODEL_TRUNCATED',
        `the JSON ends after ${text.length} characters with objects or strings still open; the file looks truncated (interrupted write or download?)`,
        { ...where, cause: error },
      );
    }
    throw new ModelFormatError('MODEL_NOT_JSON', `not valid JSON: ${excerpt((error as Error).message)}`, { ...where, cause: error });
  }
}

async function validateModel(value: unknown, where: { file: string | undefined }, pause: () => Promise<void>): Promise<ModelFileV1> {
  if (!isPlainObject(value)) {
    throw new ModelFormatError('MODEL_SCHEMA', `expected a JSON object at the top level, got ${describeValue(value)}`, where);
  }
  const record = value as Record<string, unknown>;
  if (record.format !== MODEL_FORMAT) {
    throw new ModelFormatError(
      'MODEL_UNKNOWN_FORMAT',
      `field "format" is ${describeValue(record.format)}; expected "${MODEL_FORMAT}" (is this a churnkit model file?)`,
      where,
    );
  }
  if (record.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      'MODEL_UNSUPPORTED_VERSION',
      `field "formatVersion" is ${describeValue(record.formatVersion)}; this churnkit reads version ${MODEL_FORMAT_VERSION}`,
      where,
    );
  }
  let file: ModelFileV1;
  try {
    file = checkModelFileSchema(value);
  } catch (error) {
    if (!(error instanceof SchemaViolation)) throw error;
    throw new ModelFormatError(error.code, `field "${formatPath(error.path)}": ${error.message}`, where);
  }

  await pause();
  // The digest runs off the main thread where the runtime can (Web Crypto in Node), so the
  // weights and the feature spec are checked meanwhile; a checksum mismatch is still the error
  // reported first, since it says the rest of the file cannot be trusted.
  const digest = modelChecksum(file);
  let inconsistency: unknown;
  try {
    await pause();
    checkWeights(file, where);
    checkFeatureSpec(file, where);
  } catch (error) {
    inconsistency = error;
  }
  const expected = await digest;
  if (expected !== file.checksum.value) {
    decodedWeights.delete(file);
    throw new ModelFormatError(
      'MODEL_CHECKSUM',
      `checksum mismatch: the file says ${file.checksum.value} but its contents hash to ${expected}; it was modified or corrupted after it was written`,
      where,
    );
  }
  if (inconsistency !== undefined) throw inconsistency;
  return file;
}

function checkWeights(file: ModelFileV1, where: { file: string | undefined }): void {
  const expected = parameterCount(file.architecture);
  const held = base64FloatCount(file.weights.data);
  if (held !== undefined && (held !== expected || file.weights.count !== expected)) {
    throw new ModelFormatError(
      'MODEL_WEIGHT_COUNT',
      `the layers ${describeLayers(file.architecture)} need ${expected} weights; "weights.count" says ${file.weights.count} and "weights.data" holds ${held}`,
      where,
    );
  }
  // Decoded only once its length is known to be right: a hostile count cannot make this allocate.
  const weights = held === undefined ? undefined : base64ToFloats(file.weights.data);
  if (!weights) throw notBase64Floats(where);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i]!)) {
      throw new ModelFormatError('MODEL_NON_FINITE_WEIGHT', `weight ${i} is ${weights[i]}; expected every weight to be a finite number`, where);
    }
  }
  decodedWeights.set(file, weights);
}

function checkFeatureSpec(file: ModelFileV1, where: { file: string | undefined }): void {
  const spec = file.featureSpec;
  const fail = (message: string): never => {
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
  checkReference(file, fail);
}

/** `metadata.reference` (optional) has one entry per column, in the spec's order, each with its type's number of bins. */
function checkReference(file: ModelFileV1, fail: (message: string) => never): void {
  const reference = file.metadata.reference;
  if (reference === undefined) return;
  const columns = file.featureSpec.columns;
  if (reference.columns.length !== columns.length) {
    fail(`"metadata.reference.columns" has ${reference.columns.length} entries; expected ${columns.length} (one per feature column)`);
  }
  reference.columns.forEach((entry, index) => {
    const column = columns[index]!;
    const where = `"metadata.reference.columns[${index}]"`;
    if (entry.name !== column.name) fail(`${where} is named "${entry.name}"; expected "${column.name}", the column in that place of "featureSpec.columns"`);
    if (column.type !== 'numeric' && entry.edges.length > 0) fail(`${where} (${column.type} column "${column.name}") has cut points; only numeric columns have them`);
    const bins = referenceBinCount(column, entry.edges.length);
    if (entry.shares.length !== bins) fail(`${where} (column "${column.name}") has ${entry.shares.length} shares; expected ${bins}`);
  });
  if (reference.score.shares.length !== reference.score.edges.length + 1) {
    fail(`"metadata.reference.score" has ${reference.score.shares.length} shares for ${reference.score.edges.length} cut points; expected one more share than cut points`);
  }
}

function describeLayers(architecture: ModelArchitecture): string {
  return [architecture.inputs, ...architecture.layers.map((layer) => layer.units)].join('→');
}
