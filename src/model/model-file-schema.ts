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
 * `whole`, `number`, `list`, `object`, ...), and `object` and `list` put the field's key in
 * front of the path of a violation passing through them, so every message names the field
 * (`architecture.layers[0].units`) and the rule it broke without the schema spelling out
 * either, and a valid file (100,000 categories, 200,000 baseline values) is checked without
 * building a single path. This keeps the check small in what a page downloads.
 */
import { ACTIVATION_CODES } from '../engine/network-shape.js';
import type { Activation } from '../engine/types.js';
import type { FeatureSpec } from './feature-spec.js';
import { excerpt } from '../errors.js';
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

/**
 * The first way a value breaks the schema: where, and what was expected. A check throws it with
 * the path from the value it was given; each object and list the violation passes through on
 * its way out puts its key in front (`within`), so no path is built unless a check fails.
 */
export class SchemaViolation {
  constructor(
    readonly code: 'MODEL_SCHEMA' | 'MODEL_TOO_DEEP',
    readonly path: (string | number)[],
    readonly message: string,
  ) {}
}

/** One rule: throws a `SchemaViolation` (its path relative to `value`) when `value` breaks it. */
type Check = (value: unknown) => void;

const L = MODEL_LIMITS;

/** Checks `value`, found at `path` below the value being checked: a violation gets `path` in front of its own. */
function within(path: Path, check: Check, value: unknown): void {
  try {
    check(value);
  } catch (error) {
    if (error instanceof SchemaViolation) error.path.unshift(...path);
    throw error;
  }
}

function violation(message: string, path: (string | number)[] = []): SchemaViolation {
  return new SchemaViolation('MODEL_SCHEMA', path, message);
}

/** A string of `min` (0 or 1) to `max` characters. */
const text = (min: 0 | 1, max: number): Check => (value) => {
  if (typeof value !== 'string') throw violation(`expected a string, got ${describeValue(value)}`);
  if (value.length < min) throw violation('expected a non-empty string');
  if (value.length > max) throw violation(`expected at most ${max} characters, got ${value.length}`);
};

const whole = (min: number, max: number): Check => (value) => {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw violation(`expected an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
};

const number = (min = -Infinity, max = Infinity): Check => (value) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw violation(`expected a finite number, got ${describeValue(value)}`);
  if (value < min || value > max) throw violation(`expected a number from ${min} to ${max}, got ${value}`);
};

const one = (...allowed: (string | number)[]): Check => (value) => {
  if (!allowed.includes(value as string | number)) {
    throw violation(`expected ${allowed.map((option) => JSON.stringify(option)).join(' or ')}, got ${describeValue(value)}`);
  }
};

const boolean: Check = (value) => {
  if (typeof value !== 'boolean') throw violation(`expected true or false, got ${describeValue(value)}`);
};

const nullable = (check: Check): Check => (value) => value === null || check(value);
const both = (first: Check, then: Check): Check => (value) => (first(value), then(value));
const anything: Check = () => {};

/** An array of `min` to `max` items, each checked by `item`. */
const list = (min: number, max: number, item: Check): Check => (value) => {
  if (!Array.isArray(value)) throw violation(`expected an array, got ${describeValue(value)}`);
  if (value.length < min || value.length > max) throw violation(`expected ${min === max ? min : `${min} to ${max}`} items, got ${value.length}`);
  for (let index = 0; index < value.length; index++) within([index], item, value[index]);
};

/** A strict object: its `fields` (each required) and `optional` ones, checked in the order written here; any other field is an error. */
function object(fields: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  const required = Object.keys(fields);
  const checks = Object.entries({ ...fields, ...optional });
  const known = new Set(checks.map(([key]) => key));
  return (value) => {
    const record = plainObject(value);
    for (const key of Object.keys(record)) if (!known.has(key)) throw violation('unexpected field (the format has no such field: misspelled?)', [key]);
    for (const key of required) if (record[key] === undefined) throw violation('missing', [key]);
    for (const [key, check] of checks) if (record[key] !== undefined) within([key], check, record[key]);
  };
}

const NAME = text(1, L.maxNameLength);
/** A category, an alias spelling or a metric's name: possibly empty. */
const SPELLING = text(0, L.maxNameLength);
const COUNT = whole(0, Number.MAX_SAFE_INTEGER);
const FINITE = number();
const SHARE = number(0, 1);
const DISPLAY_TEXT = text(1, L.maxDisplayTextLength);
const OPTIONS_TEXT = text(0, L.maxOptionsStringLength);

const ARCHITECTURE = both(
  object({
    kind: one('logreg', 'mlp'),
    inputs: whole(1, L.maxInputs),
    layers: list(1, L.maxLayers, object({ units: whole(1, L.maxUnits), activation: one(...Object.keys(ACTIVATION_CODES)) })),
  }),
  (value) => {
    const { kind, layers } = value as ModelArchitecture;
    const last = layers[layers.length - 1]!;
    if (last.units !== 1 || last.activation !== 'sigmoid') {
      throw violation('expected the output layer to be { units: 1, activation: "sigmoid" }', ['layers', layers.length - 1]);
    }
    if (kind === 'logreg' && layers.length !== 1) throw violation('expected a logreg model to have exactly one (output) layer', ['layers']);
  },
);

const COLUMNS: Record<string, Check> = {
  numeric: object({
    name: NAME,
    type: anything,
    median: FINITE,
    clipLow: FINITE,
    clipHigh: FINITE,
    mean: FINITE,
    std: both(FINITE, (value) => {
      if (!((value as number) > 0)) throw violation(`expected a positive standard deviation, got ${value}`);
    }),
    missingIndicator: boolean,
  }),
  categorical: object({ name: NAME, type: anything, categories: list(0, L.maxCategories, SPELLING), unknownSeen: boolean }),
  boolean: object({ name: NAME, type: anything, imputed: SHARE }),
};

const column: Check = (value) => {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && Object.hasOwn(COLUMNS, type)) return COLUMNS[type]!(value);
  plainObject(value);
  throw violation(`expected "numeric", "categorical" or "boolean", got ${describeValue(type)}`, ['type']);
};

const FEATURE_SPEC = object({
  columns: list(1, L.maxColumns, column),
  categoryNormalization: object({ foldCase: boolean, aliases: list(0, L.maxAliases, list(2, 2, SPELLING)) }),
  inputSize: whole(1, L.maxInputs),
  baseline: list(0, L.maxInputs, FINITE),
});

/** Histogram bins of `metadata.reference`: cut points in ascending order and one share per bin. */
const BINS = {
  edges: both(list(0, L.maxReferenceEdges, FINITE), (value) => {
    const edges = value as number[];
    for (let index = 1; index < edges.length; index++) {
      if (!(edges[index]! > edges[index - 1]!)) throw violation('expected cut points in ascending order, each above the one before', [index]);
    }
  }),
  shares: list(1, L.maxCategories + 1, SHARE),
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
    metrics: (value) => {
      const metrics = plainObject(value);
      const keys = Object.keys(metrics);
      if (keys.length > L.maxMetrics) throw violation(`expected at most ${L.maxMetrics} metrics, got ${keys.length}`);
      for (const key of keys) {
        SPELLING(key);
        within([key], FINITE, metrics[key]);
      }
    },
    scoreQuantiles: list(2, L.maxScoreQuantiles, SHARE),
    options: (value) => {
      const options = plainObject(value);
      const budget = { values: L.maxOptionsValues };
      for (const key of Object.keys(options)) checkJsonMember(key, options[key], [], 1, budget);
    },
  },
  // Its match with the feature spec is checked in model-file.ts.
  { reference: object({ rows: COUNT, columns: list(0, L.maxColumns, object({ name: NAME, ...BINS })), score: object(BINS) }) },
);

const MODEL_FILE = object({
  // Checked first, each with a code of its own (MODEL_UNKNOWN_FORMAT, MODEL_UNSUPPORTED_VERSION): see model-file.ts.
  format: anything,
  formatVersion: anything,
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
  MODEL_FILE(value);
  const file = value as ModelFileV1;
  const display = file.metadata.options.display;
  if (display !== undefined) checkFeatureDisplays(display, ['metadata', 'options', 'display'], new Set(file.featureSpec.columns.map(({ name }) => name)));
  return file;
}

/** A member of the free-form `metadata.options` at `path` below it: any JSON, within the options' bounds. */
function checkJsonMember(key: string | number, value: unknown, parent: Path, depth: number, budget: { values: number }): void {
  const path = [...parent, key];
  if (typeof key === 'string') within(parent, OPTIONS_TEXT, key);
  if (--budget.values < 0) throw tooManyOptionValues();
  if (typeof value === 'string') within(path, OPTIONS_TEXT, value);
  else if (typeof value === 'number') within(path, FINITE, value);
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
    throw violation(`expected JSON (a string, finite number, boolean, null, array or object), got ${describeValue(value)}`, path);
  }
}

/** Counted over all of `metadata.options`, so named there. */
function tooManyOptionValues(): SchemaViolation {
  return violation(`expected at most ${L.maxOptionsValues} values in the training options`);
}

const DISPLAY = object(
  { label: DISPLAY_TEXT },
  {
    unit: DISPLAY_TEXT,
    scale: one('linear', 'log1p', 'percent'),
    decimals: whole(0, L.maxDisplayDecimals),
    text: DISPLAY_TEXT,
    cases: list(0, L.maxDisplayCases, object({ atMost: FINITE, text: DISPLAY_TEXT })),
  },
);

/**
 * The words of the features (`metadata.options.display`, docs/model-format.md "Display
 * words"): feature name → `{ label, unit?, scale?, decimals?, cases?, text? }`, every string,
 * list and number bounded. In a model file every name must be one of its `columns`. A
 * violation's path starts with `path`.
 */
export function checkFeatureDisplays(value: unknown, path: Path, columns?: ReadonlySet<string>): void {
  within(path, (value) => {
    const displays = plainObject(value);
    const features = Object.keys(displays);
    if (features.length > L.maxColumns) throw violation(`expected words for at most ${L.maxColumns} features, got ${features.length}`);
    for (const feature of features) {
      if (columns !== undefined && !columns.has(feature)) throw violation('names no column of featureSpec.columns', [feature]);
      within([feature], DISPLAY, displays[feature]);
    }
  }, value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function plainObject(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw violation(`expected an object, got ${describeValue(value)}`);
  return value;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function sha256(value: unknown): void {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw violation(`expected 64 lower-case hex digits (SHA-256), got ${describeValue(value)}`);
  }
}

/** RFC 3339 in UTC, as `Date.prototype.toISOString` writes it (fractional seconds optional). */
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

function isoDatetime(value: unknown): void {
  const match = typeof value === 'string' ? ISO_DATETIME.exec(value) : null;
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw violation(`expected an ISO 8601 date and time in UTC (e.g. "2026-11-23T10:00:00.000Z"), got ${describeValue(value)}`);
  }
}

/** A short description of any value for a message: never serialises a whole (possibly huge or deep) value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (value === null) return 'null';
  // A Response, Blob or Promise by its name: `parseModelFile(await fetch(url))` or
  // `predictBatch(new Map())` then says what was passed, not that a field is missing.
  if (typeof value === 'object') return isPlainObject(value) ? 'an object' : `a ${value.constructor?.name ?? 'object'}`;
  if (typeof value === 'string') return JSON.stringify(excerpt(value));
  return String(value);
}

/** `architecture.layers[0].units`; a path longer than 200 characters keeps its start and end. */
export function formatPath(path: Path): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${part}`;
  if (text.length > 200) text = `${text.slice(0, 100)}...${text.slice(-97)}`;
  return text || '(root)';
}
