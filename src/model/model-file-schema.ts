/**
 * The schema of model file format v1 (documented field by field in docs/model-format.md),
 * checked by hand rather than with zod: this check is on the path of every runtime the core
 * runs in, and zod compiles its validators with `new Function` (refused under a strict
 * Content-Security-Policy) and costs over 100 ms to import, most of a storefront's boot.
 *
 * Objects are strict: a misspelled field is an error, not silently ignored, because the
 * checksum covers the file exactly as written. Every array, string and nesting level is
 * bounded (`MODEL_LIMITS`) and its length is checked before it is walked.
 */
import type { Activation } from '../engine/types.js';
import type { FeatureSpec } from './feature-spec.js';
import { MODEL_LIMITS } from './model-limits.js';

export interface ModelArchitecture {
  kind: 'logreg' | 'mlp';
  inputs: number;
  /** Every layer including the output layer, which is `{ units: 1, activation: 'sigmoid' }`. */
  layers: { units: number; activation: Activation }[];
}

/** What the serving side needs to know about how a model was trained. */
export interface ModelMetadata {
  target: string;
  id: string | null;
  /** ISO 8601, UTC (`Z`). */
  trainedAt: string;
  rows: number;
  positiveRate: number;
  threshold: number;
  dataHash: string;
  seed: number;
  metrics: Record<string, number>;
  scoreQuantiles: number[];
  options: Record<string, unknown>;
}

/** A model file as stored: validated JSON (weights still base64). */
export interface ModelFileV1 {
  format: 'churnkit-model';
  formatVersion: 1;
  version: string;
  architecture: ModelArchitecture;
  featureSpec: FeatureSpec;
  weights: { encoding: 'base64-f32le'; count: number; data: string };
  metadata: ModelMetadata;
  checksum: { algorithm: 'sha-256'; value: string };
}

type Path = readonly (string | number)[];

/** The first way a value breaks the schema: where, and what was expected. */
export class SchemaViolation {
  constructor(
    readonly code: 'MODEL_SCHEMA' | 'MODEL_TOO_DEEP',
    readonly path: Path,
    readonly message: string,
  ) {}
}

/**
 * Checks `value` against the schema and returns it typed; throws a `SchemaViolation`
 * (which `parseModelFile` turns into a `ModelFormatError` naming the field path).
 */
export function checkModelFileSchema(value: unknown): ModelFileV1 {
  const file = strictObject(value, [], ['format', 'formatVersion', 'version', 'architecture', 'featureSpec', 'weights', 'metadata', 'checksum']);
  oneOf(file.format, ['format'], ['churnkit-model']);
  oneOf(file.formatVersion, ['formatVersion'], [1]);
  string(file.version, ['version'], 1, MODEL_LIMITS.maxVersionLength);
  checkArchitecture(file.architecture);
  checkFeatureSpec(file.featureSpec);
  const weights = strictObject(file.weights, ['weights'], ['encoding', 'count', 'data']);
  oneOf(weights.encoding, ['weights', 'encoding'], ['base64-f32le']);
  integer(weights.count, ['weights', 'count'], 0, Number.MAX_SAFE_INTEGER);
  string(weights.data, ['weights', 'data'], 0, Infinity);
  checkMetadata(file.metadata);
  const checksum = strictObject(file.checksum, ['checksum'], ['algorithm', 'value']);
  oneOf(checksum.algorithm, ['checksum', 'algorithm'], ['sha-256']);
  sha256(checksum.value, ['checksum', 'value']);
  return value as ModelFileV1;
}

function checkArchitecture(value: unknown): void {
  const path = ['architecture'];
  const architecture = strictObject(value, path, ['kind', 'inputs', 'layers']);
  oneOf(architecture.kind, [...path, 'kind'], ['logreg', 'mlp']);
  integer(architecture.inputs, [...path, 'inputs'], 1, MODEL_LIMITS.maxInputs);
  const layers = array(architecture.layers, [...path, 'layers'], 1, MODEL_LIMITS.maxLayers);
  layers.forEach((item, index) => {
    const layer = strictObject(item, [...path, 'layers', index], ['units', 'activation']);
    integer(layer.units, [...path, 'layers', index, 'units'], 1, MODEL_LIMITS.maxUnits);
    oneOf(layer.activation, [...path, 'layers', index, 'activation'], ['relu', 'tanh', 'sigmoid', 'linear']);
  });
  const last = layers[layers.length - 1] as { units: number; activation: string };
  if (last.units !== 1 || last.activation !== 'sigmoid') {
    throw violation([...path, 'layers', layers.length - 1], 'expected the output layer to be { units: 1, activation: "sigmoid" }');
  }
  if (architecture.kind === 'logreg' && layers.length !== 1) {
    throw violation([...path, 'layers'], 'expected a logreg model to have exactly one (output) layer');
  }
}

function checkFeatureSpec(value: unknown): void {
  const path = ['featureSpec'];
  const spec = strictObject(value, path, ['columns', 'categoryNormalization', 'inputSize', 'baseline']);
  array(spec.columns, [...path, 'columns'], 1, MODEL_LIMITS.maxColumns).forEach((column, index) => checkColumn(column, [...path, 'columns', index]));
  const normalization = strictObject(spec.categoryNormalization, [...path, 'categoryNormalization'], ['foldCase', 'aliases']);
  boolean(normalization.foldCase, [...path, 'categoryNormalization', 'foldCase']);
  array(normalization.aliases, [...path, 'categoryNormalization', 'aliases'], 0, MODEL_LIMITS.maxAliases).forEach((pair, index) => {
    const pairPath = [...path, 'categoryNormalization', 'aliases', index];
    const [variant, canonical] = array(pair, pairPath, 2, 2);
    string(variant, [...pairPath, 0], 0, MODEL_LIMITS.maxNameLength);
    string(canonical, [...pairPath, 1], 0, MODEL_LIMITS.maxNameLength);
  });
  integer(spec.inputSize, [...path, 'inputSize'], 1, MODEL_LIMITS.maxInputs);
  everyFinite(array(spec.baseline, [...path, 'baseline'], 0, MODEL_LIMITS.maxInputs), [...path, 'baseline']);
}

function checkColumn(value: unknown, path: Path): void {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'numeric') {
    const column = strictObject(value, path, ['name', 'type', 'median', 'clipLow', 'clipHigh', 'mean', 'std', 'missingIndicator']);
    string(column.name, [...path, 'name'], 1, MODEL_LIMITS.maxNameLength);
    for (const field of ['median', 'clipLow', 'clipHigh', 'mean'] as const) finite(column[field], [...path, field]);
    finite(column.std, [...path, 'std']);
    if (!((column.std as number) > 0)) throw violation([...path, 'std'], `expected a positive standard deviation, got ${column.std}`);
    boolean(column.missingIndicator, [...path, 'missingIndicator']);
  } else if (type === 'categorical') {
    const column = strictObject(value, path, ['name', 'type', 'categories', 'unknownSeen']);
    string(column.name, [...path, 'name'], 1, MODEL_LIMITS.maxNameLength);
    const categories = array(column.categories, [...path, 'categories'], 0, MODEL_LIMITS.maxCategories);
    for (let index = 0; index < categories.length; index++) {
      const category = categories[index];
      if (typeof category !== 'string' || category.length > MODEL_LIMITS.maxNameLength) string(category, [...path, 'categories', index], 0, MODEL_LIMITS.maxNameLength);
    }
    boolean(column.unknownSeen, [...path, 'unknownSeen']);
  } else if (type === 'boolean') {
    const column = strictObject(value, path, ['name', 'type', 'imputed']);
    string(column.name, [...path, 'name'], 1, MODEL_LIMITS.maxNameLength);
    finite(column.imputed, [...path, 'imputed'], 0, 1);
  } else {
    plainObject(value, path);
    throw violation([...path, 'type'], `expected "numeric", "categorical" or "boolean", got ${describeValue(type)}`);
  }
}

function checkMetadata(value: unknown): void {
  const path = ['metadata'];
  const metadata = strictObject(value, path, ['target', 'id', 'trainedAt', 'rows', 'positiveRate', 'threshold', 'dataHash', 'seed', 'metrics', 'scoreQuantiles', 'options']);
  string(metadata.target, [...path, 'target'], 1, MODEL_LIMITS.maxNameLength);
  if (metadata.id !== null) string(metadata.id, [...path, 'id'], 1, MODEL_LIMITS.maxNameLength);
  isoDatetime(metadata.trainedAt, [...path, 'trainedAt']);
  integer(metadata.rows, [...path, 'rows'], 0, Number.MAX_SAFE_INTEGER);
  finite(metadata.positiveRate, [...path, 'positiveRate'], 0, 1);
  finite(metadata.threshold, [...path, 'threshold'], 0, 1);
  sha256(metadata.dataHash, [...path, 'dataHash']);
  integer(metadata.seed, [...path, 'seed'], Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const metrics = plainObject(metadata.metrics, [...path, 'metrics']);
  const names = Object.keys(metrics);
  if (names.length > MODEL_LIMITS.maxMetrics) throw violation([...path, 'metrics'], `expected at most ${MODEL_LIMITS.maxMetrics} metrics, got ${names.length}`);
  for (const name of names) {
    string(name, [...path, 'metrics'], 0, MODEL_LIMITS.maxNameLength);
    finite(metrics[name], [...path, 'metrics', name]);
  }
  everyFinite(array(metadata.scoreQuantiles, [...path, 'scoreQuantiles'], 2, MODEL_LIMITS.maxScoreQuantiles), [...path, 'scoreQuantiles'], 0, 1);
  const options = plainObject(metadata.options, [...path, 'options']);
  const budget = { values: MODEL_LIMITS.maxOptionsValues };
  for (const key of Object.keys(options)) checkJsonMember(key, options[key], [...path, 'options'], 1, budget);
}

/** A member of the free-form `metadata.options`: any JSON, within the options' bounds. */
function checkJsonMember(key: string | number, value: unknown, parent: Path, depth: number, budget: { values: number }): void {
  const path = [...parent, key];
  if (typeof key === 'string') string(key, parent, 0, MODEL_LIMITS.maxOptionsStringLength);
  if (--budget.values < 0) throw violation(['metadata', 'options'], `expected at most ${MODEL_LIMITS.maxOptionsValues} values in the training options`);
  if (typeof value === 'string') string(value, path, 0, MODEL_LIMITS.maxOptionsStringLength);
  else if (typeof value === 'number') finite(value, path);
  else if (value === null || typeof value === 'boolean') return;
  else if (Array.isArray(value) || isPlainObject(value)) {
    if (depth >= MODEL_LIMITS.maxOptionsDepth) {
      throw new SchemaViolation('MODEL_TOO_DEEP', path, `expected the training options to nest at most ${MODEL_LIMITS.maxOptionsDepth} levels`);
    }
    if (Array.isArray(value)) {
      if (value.length > budget.values) throw violation(['metadata', 'options'], `expected at most ${MODEL_LIMITS.maxOptionsValues} values in the training options`);
      value.forEach((item, index) => checkJsonMember(index, item, path, depth + 1, budget));
    } else {
      for (const member of Object.keys(value)) checkJsonMember(member, value[member], path, depth + 1, budget);
    }
  } else {
    throw violation(path, `expected JSON (a string, finite number, boolean, null, array or object), got ${describeValue(value)}`);
  }
}

function violation(path: Path, message: string): SchemaViolation {
  return new SchemaViolation('MODEL_SCHEMA', path, message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function plainObject(value: unknown, path: Path): Record<string, unknown> {
  if (!isPlainObject(value)) throw violation(path, `expected an object, got ${describeValue(value)}`);
  return value;
}

/** An object with exactly the given fields (each present, though possibly invalid: their checks say so). */
function strictObject<Field extends string>(value: unknown, path: Path, fields: readonly Field[]): Record<Field, unknown> {
  const record = plainObject(value, path);
  for (const key of Object.keys(record)) {
    if (!(fields as readonly string[]).includes(key)) throw violation([...path, key], 'unexpected field (the format has no such field: misspelled?)');
  }
  for (const field of fields) {
    if (record[field] === undefined) throw violation([...path, field], 'missing');
  }
  return record as Record<Field, unknown>;
}

function array(value: unknown, path: Path, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw violation(path, `expected an array, got ${describeValue(value)}`);
  if (value.length < min || value.length > max) {
    throw violation(path, `expected ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} items, got ${value.length}`);
  }
  return value;
}

function string(value: unknown, path: Path, min: number, max: number): void {
  if (typeof value !== 'string') throw violation(path, `expected a string, got ${describeValue(value)}`);
  if (value.length < min) throw violation(path, min === 1 ? 'expected a non-empty string' : `expected at least ${min} characters`);
  if (value.length > max) throw violation(path, `expected at most ${max} characters, got ${value.length}`);
}

function integer(value: unknown, path: Path, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw violation(path, `expected an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
}

function finite(value: unknown, path: Path, min = -Infinity, max = Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw violation(path, `expected a finite number, got ${describeValue(value)}`);
  if (value < min || value > max) throw violation(path, `expected a number from ${min} to ${max}, got ${value}`);
}

/** Every item a finite number in [min, max]; the path of the first that is not is built only then. */
function everyFinite(items: readonly unknown[], path: Path, min = -Infinity, max = Infinity): void {
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (!(typeof item === 'number' && item >= min && item <= max && Number.isFinite(item))) finite(item, [...path, index], min, max);
  }
}

function boolean(value: unknown, path: Path): void {
  if (typeof value !== 'boolean') throw violation(path, `expected true or false, got ${describeValue(value)}`);
}

function oneOf(value: unknown, path: Path, allowed: readonly (string | number)[]): void {
  if (!allowed.includes(value as string | number)) {
    throw violation(path, `expected ${allowed.map((option) => JSON.stringify(option)).join(' or ')}, got ${describeValue(value)}`);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function sha256(value: unknown, path: Path): void {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw violation(path, `expected 64 lower-case hex digits (SHA-256), got ${describeValue(value)}`);
  }
}

/** RFC 3339 in UTC, as `Date.prototype.toISOString` writes it (fractional seconds optional). */
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

function isoDatetime(value: unknown, path: Path): void {
  const match = typeof value === 'string' ? ISO_DATETIME.exec(value) : null;
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw violation(path, `expected an ISO 8601 date and time in UTC (e.g. "2026-11-23T10:00:00.000Z"), got ${describeValue(value)}`);
  }
}

/** A short description of any value for a message: never serialises a whole (possibly huge or deep) value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

/** `architecture.layers[0].units`; a path longer than 200 characters keeps its start and end. */
export function formatPath(path: Path): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${part}`;
  if (text.length > 200) text = `${text.slice(0, 100)}...${text.slice(-97)}`;
  return text || '(root)';
}
