/**
 * The schema of model file format v1 (documented field by field in docs/model-format.md),
 * checked by hand rather than with zod: this check is on the path of every runtime the core
 * runs in, and zod compiles its validators with `new Function` (refused under a strict
 * Content-Security-Policy) and costs over 100 ms to import, most of a storefront's boot.
 *
 * Objects are strict: a misspelled field is an error, not silently ignored, because the
 * checksum covers the file exactly as written. Every array, string and nesting level is
 * bounded (`MODEL_LIMITS`) and its length is checked before it is walked.
 *
 * The schema is a table: each field's rule is a `Check` built from a few primitives (`text`,
 * `integer`, `number`, `list`, `object`, ...), and `object` extends the field path as it walks,
 * so every message names the field (`architecture.layers[0].units`) and the rule it broke
 * without the schema spelling out either. This keeps the check small in what a page downloads.
 */
import type { Activation } from '../engine/types.js';
import type { FeatureSpec } from './feature-spec.js';
import { MODEL_LIMITS } from './model-limits.js';
import type { ReferenceDistribution } from './reference-distribution.js';

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
  /** The training data's distribution of every input and of the score, for drift; absent in files written before it existed. */
  reference?: ReferenceDistribution;
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

/** One rule: throws a `SchemaViolation` naming `path` when `value` breaks it. */
type Check = (value: unknown, path: Path) => void;

const L = MODEL_LIMITS;

const text = (min: number, max: number): Check => (value, path) => string(value, path, min, max);
const whole = (min: number, max: number): Check => (value, path) => integer(value, path, min, max);
const number = (min?: number, max?: number): Check => (value, path) => finite(value, path, min, max);
const numbers = (min: number, max: number, low?: number, high?: number): Check => (value, path) => everyFinite(array(value, path, min, max), path, low, high);
const one = (...allowed: (string | number)[]): Check => (value, path) => oneOf(value, path, allowed);
const nullable = (check: Check): Check => (value, path) => value === null || check(value, path);
const both = (first: Check, then: Check): Check => (value, path) => (first(value, path), then(value, path));
const anything: Check = () => {};

function list(min: number, max: number, item: Check): Check {
  return (value, path) => array(value, path, min, max).forEach((entry, index) => item(entry, [...path, index]));
}

/** A strict object: its `fields` (each required) and `optional` ones, checked in the order written here. */
function object(fields: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value, path) => {
    const record = strictObject(value, path, Object.keys(fields), Object.keys(optional));
    for (const [key, check] of Object.entries({ ...fields, ...optional })) if (record[key] !== undefined) check(record[key], [...path, key]);
  };
}

/** Many short strings (a categorical column's categories): the path of an item is built only for one that fails. */
const names = (max: number): Check => (value, path) => {
  const items = array(value, path, 0, max);
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (typeof item !== 'string' || item.length > L.maxNameLength) string(item, [...path, index], 0, L.maxNameLength);
  }
};

const NAME = text(1, L.maxNameLength);
const COUNT = whole(0, Number.MAX_SAFE_INTEGER);
const SHARE = number(0, 1);
const DISPLAY_TEXT = text(1, L.maxDisplayTextLength);

const ARCHITECTURE = both(
  object({
    kind: one('logreg', 'mlp'),
    inputs: whole(1, L.maxInputs),
    layers: list(1, L.maxLayers, object({ units: whole(1, L.maxUnits), activation: one('relu', 'tanh', 'sigmoid', 'linear') })),
  }),
  (value, path) => {
    const { kind, layers } = value as ModelArchitecture;
    const last = layers[layers.length - 1]!;
    if (last.units !== 1 || last.activation !== 'sigmoid') {
      throw violation([...path, 'layers', layers.length - 1], 'expected the output layer to be { units: 1, activation: "sigmoid" }');
    }
    if (kind === 'logreg' && layers.length !== 1) throw violation([...path, 'layers'], 'expected a logreg model to have exactly one (output) layer');
  },
);

const COLUMNS: Record<string, Check> = {
  numeric: object({
    name: NAME,
    type: anything,
    median: number(),
    clipLow: number(),
    clipHigh: number(),
    mean: number(),
    std: both(number(), (value, path) => {
      if (!((value as number) > 0)) throw violation(path, `expected a positive standard deviation, got ${value}`);
    }),
    missingIndicator: boolean,
  }),
  categorical: object({ name: NAME, type: anything, categories: names(L.maxCategories), unknownSeen: boolean }),
  boolean: object({ name: NAME, type: anything, imputed: SHARE }),
};

function column(value: unknown, path: Path): void {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && Object.hasOwn(COLUMNS, type)) return COLUMNS[type]!(value, path);
  plainObject(value, path);
  throw violation([...path, 'type'], `expected "numeric", "categorical" or "boolean", got ${describeValue(type)}`);
}

const FEATURE_SPEC = object({
  columns: list(1, L.maxColumns, column),
  categoryNormalization: object({
    foldCase: boolean,
    aliases: list(0, L.maxAliases, (pair, path) => array(pair, path, 2, 2).forEach((spelling, index) => string(spelling, [...path, index], 0, L.maxNameLength))),
  }),
  inputSize: whole(1, L.maxInputs),
  baseline: numbers(0, L.maxInputs),
});

/** Histogram bins of `metadata.reference`: cut points in ascending order and one share per bin. */
const BINS = {
  edges: both(numbers(0, L.maxReferenceEdges), (value, path) => {
    const edges = value as number[];
    for (let index = 1; index < edges.length; index++) {
      if (!(edges[index]! > edges[index - 1]!)) throw violation([...path, index], 'expected cut points in ascending order, each above the one before');
    }
  }),
  shares: numbers(1, L.maxCategories + 1, 0, 1),
};

const METADATA = object(
  {
    target: NAME,
    id: nullable(NAME),
    trainedAt: isoDatetime,
    rows: COUNT,
    positiveRate: SHARE,
    threshold: SHARE,
    dataHash: sha256,
    seed: whole(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    metrics: (value, path) => {
      const metrics = plainObject(value, path);
      const keys = Object.keys(metrics);
      if (keys.length > L.maxMetrics) throw violation(path, `expected at most ${L.maxMetrics} metrics, got ${keys.length}`);
      for (const key of keys) {
        string(key, path, 0, L.maxNameLength);
        finite(metrics[key], [...path, key]);
      }
    },
    scoreQuantiles: numbers(2, L.maxScoreQuantiles, 0, 1),
    options: (value, path) => {
      const options = plainObject(value, path);
      const budget = { values: L.maxOptionsValues };
      for (const key of Object.keys(options)) checkJsonMember(key, options[key], path, 1, budget);
    },
  },
  // Its match with the feature spec is checked in model-file.ts.
  { reference: object({ rows: COUNT, columns: list(0, L.maxColumns, object({ name: NAME, ...BINS })), score: object(BINS) }) },
);

const MODEL_FILE = object({
  format: one('churnkit-model'),
  formatVersion: one(1),
  version: text(1, L.maxVersionLength),
  architecture: ARCHITECTURE,
  featureSpec: FEATURE_SPEC,
  weights: object({ encoding: one('base64-f32le'), count: COUNT, data: text(0, Infinity) }),
  metadata: METADATA,
  checksum: object({ algorithm: one('sha-256'), value: sha256 }),
});

/**
 * Checks `value` against the schema and returns it typed; throws a `SchemaViolation`
 * (which `parseModelFile` turns into a `ModelFormatError` naming the field path).
 */
export function checkModelFileSchema(value: unknown): ModelFileV1 {
  MODEL_FILE(value, []);
  const file = value as ModelFileV1;
  const display = file.metadata.options.display;
  if (display !== undefined) checkFeatureDisplays(display, ['metadata', 'options', 'display'], new Set(file.featureSpec.columns.map(({ name }) => name)));
  return file;
}

/** A member of the free-form `metadata.options`: any JSON, within the options' bounds. */
function checkJsonMember(key: string | number, value: unknown, parent: Path, depth: number, budget: { values: number }): void {
  const path = [...parent, key];
  if (typeof key === 'string') string(key, parent, 0, L.maxOptionsStringLength);
  if (--budget.values < 0) throw tooManyOptionValues();
  if (typeof value === 'string') string(value, path, 0, L.maxOptionsStringLength);
  else if (typeof value === 'number') finite(value, path);
  else if (value === null || typeof value === 'boolean') return;
  else if (Array.isArray(value) || isPlainObject(value)) {
    if (depth >= L.maxOptionsDepth) throw new SchemaViolation('MODEL_TOO_DEEP', path, `expected the training options to nest at most ${L.maxOptionsDepth} levels`);
    if (Array.isArray(value)) {
      if (value.length > budget.values) throw tooManyOptionValues();
      value.forEach((item, index) => checkJsonMember(index, item, path, depth + 1, budget));
    } else {
      for (const member of Object.keys(value)) checkJsonMember(member, value[member], path, depth + 1, budget);
    }
  } else {
    throw violation(path, `expected JSON (a string, finite number, boolean, null, array or object), got ${describeValue(value)}`);
  }
}

function tooManyOptionValues(): SchemaViolation {
  return violation(['metadata', 'options'], `expected at most ${L.maxOptionsValues} values in the training options`);
}

const DISPLAY = object(
  { label: DISPLAY_TEXT },
  {
    unit: DISPLAY_TEXT,
    scale: one('linear', 'log1p', 'percent'),
    decimals: whole(0, L.maxDisplayDecimals),
    text: DISPLAY_TEXT,
    cases: list(0, L.maxDisplayCases, object({ atMost: number(), text: DISPLAY_TEXT })),
  },
);

/**
 * The words of the features (`metadata.options.display`, docs/model-format.md "Display
 * words"): feature name → `{ label, unit?, scale?, decimals?, cases?, text? }`, every string,
 * list and number bounded. In a model file every name must be one of its `columns`.
 */
export function checkFeatureDisplays(value: unknown, path: Path, columns?: ReadonlySet<string>): void {
  const displays = plainObject(value, path);
  const features = Object.keys(displays);
  if (features.length > L.maxColumns) throw violation(path, `expected words for at most ${L.maxColumns} features, got ${features.length}`);
  for (const feature of features) {
    const at = [...path, feature];
    if (columns !== undefined && !columns.has(feature)) throw violation(at, 'names no column of featureSpec.columns');
    DISPLAY(displays[feature], at);
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

/** An object with exactly the given fields, and perhaps the `optional` ones (each present, though possibly invalid: their checks say so). */
function strictObject<Field extends string, Optional extends string = never>(
  value: unknown,
  path: Path,
  fields: readonly Field[],
  optional: readonly Optional[] = [],
): Record<Field, unknown> & Partial<Record<Optional, unknown>> {
  const record = plainObject(value, path);
  for (const key of Object.keys(record)) {
    if (!(fields as readonly string[]).includes(key) && !(optional as readonly string[]).includes(key)) {
      throw violation([...path, key], 'unexpected field (the format has no such field: misspelled?)');
    }
  }
  for (const field of fields) {
    if (record[field] === undefined) throw violation([...path, field], 'missing');
  }
  return record as Record<Field, unknown> & Partial<Record<Optional, unknown>>;
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
