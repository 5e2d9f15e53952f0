import { InputError, OptionsError, excerpt } from '../errors.js';
import { DEFAULT_CATEGORY_ALIASES, createCategoryKey, canonicalSpelling } from './category-normalization.js';
import { compileEncoder } from './encode-record.js';
import {
  columnWidth,
  type CategoryNormalization,
  type ColumnSpec,
  type ColumnType,
  type FeatureSpec,
  type RawRecord,
} from './feature-spec.js';
import { quantileOfSorted } from './quantile.js';
import { meanAndDeviation } from './mean-and-deviation.js';
import { unusableFeatureNumber } from './feature-number.js';
import { isBooleanWord, isMissingCell, readBoolean, readCategory, readNumber } from './read-cell.js';
import { createFieldReader } from './read-field.js';
import { MODEL_LIMITS } from './model-limits.js';

/** How `fitFeatureSpec` chooses and prepares columns. Every field is optional. */
export interface FeatureSpecOptions {
  /** Label column: never a feature. */
  target?: string;
  /** Customer id column: never a feature. */
  id?: string;
  /** Other columns to leave out. */
  exclude?: readonly string[];
  /** Use exactly these columns (in this order) instead of every column found in the rows. */
  columns?: readonly string[];
  /** Column types to use instead of inferring them from the data. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Fold case and whitespace of categories before comparing (default true). */
  foldCase?: boolean;
  /** Spelling variants → canonical spelling (default `DEFAULT_CATEGORY_ALIASES`); `false` for none. */
  aliases?: Readonly<Record<string, string>> | readonly (readonly [string, string])[] | false;
  /** Lower and upper quantile numeric values are clipped to (default [0.005, 0.995]). */
  clipQuantiles?: readonly [number, number];
  /** Add a "was missing" slot after numeric columns that have gaps in training (default true). */
  missingIndicators?: boolean;
  /** Categories seen fewer times go to the unknown slot (default 1: keep every category). */
  minCategoryCount?: number;
  /** Most categories one column may keep; the rarest beyond go to the unknown slot (default 50). */
  maxCategories?: number;
}

/** Categories a column keeps unless `maxCategories` says otherwise. */
export const DEFAULT_MAX_CATEGORIES = 50;

interface ResolvedOptions {
  excluded: Set<string>;
  columns: readonly string[] | undefined;
  types: Map<string, ColumnType>;
  normalization: CategoryNormalization;
  clipLow: number;
  clipHigh: number;
  missingIndicators: boolean;
  minCategoryCount: number;
  maxCategories: number;
}

const OPTION_NAMES = new Set([
  'target', 'id', 'exclude', 'columns', 'types', 'foldCase', 'aliases',
  'clipQuantiles', 'missingIndicators', 'minCategoryCount', 'maxCategories',
]);
const COLUMN_TYPES = new Set<string>(['numeric', 'categorical', 'boolean']);

/**
 * Fits the preprocessing of every feature column on training rows: types (inferred
 * unless given), medians, clip quantiles, standardisation, category lists and the
 * mean encoded vector. The result is plain JSON, stored in the model file.
 *
 * @example
 * const spec = fitFeatureSpec(rows, { target: 'Churn', id: 'CustomerID' });
 * const x = new Float32Array(spec.inputSize);
 * encodeRecord(spec, rows[0], x, 0);
 */
export function fitFeatureSpec(rows: readonly RawRecord[], options: FeatureSpecOptions = {}): FeatureSpec {
  const resolved = resolveOptions(options);
  if (rows.length === 0) throw new InputError('INPUT_EMPTY', 'no rows to fit features on; expected at least one record');
  const names = resolved.columns ?? discoverColumns(rows, resolved.excluded);
  if (names.length === 0) {
    throw new InputError('INPUT_NO_FEATURES', 'no feature columns left after removing the target, id and excluded columns');
  }
  // Before any training: the model file could not hold the name, and would be refused once trained.
  const overlong = names.find((name) => name.length > MODEL_LIMITS.maxNameLength);
  if (overlong !== undefined) {
    throw new InputError(
      'INPUT_NAME_TOO_LONG',
      `column "${excerpt(overlong)}" has a name longer than the ${MODEL_LIMITS.maxNameLength.toLocaleString('en-US')} characters a model file stores; rename it or leave it out`,
    );
  }
  const columns = names.map((name) => fitColumn(name, rows, resolved));
  const inputSize = columns.reduce((sum, column) => sum + columnWidth(column), 0);
  if (inputSize > MODEL_LIMITS.maxInputs) throw tooWide(columns, inputSize, resolved);
  const draft: FeatureSpec = {
    columns,
    categoryNormalization: resolved.normalization,
    inputSize,
    baseline: new Array<number>(inputSize).fill(0),
  };
  return { ...draft, baseline: meanEncodedVector(draft, rows) };
}

/** Refused before any training: no engine builds a network this wide, and the widest columns are usually the cause. */
function tooWide(columns: readonly ColumnSpec[], inputSize: number, options: ResolvedOptions): InputError {
  const widest = [...columns].sort((a, b) => columnWidth(b) - columnWidth(a)).slice(0, 3);
  const named = widest.map((column) => `"${excerpt(column.name)}" ${columnWidth(column).toLocaleString('en-US')}`).join(', ');
  return new InputError(
    'INPUT_TOO_WIDE',
    `the encoded features come to ${inputSize.toLocaleString('en-US')} inputs, more than the ${MODEL_LIMITS.maxInputs.toLocaleString('en-US')} a network takes ` +
      `(widest: ${named}); keep fewer categories per column (maxCategories, now ${options.maxCategories}; minCategoryCount, now ${options.minCategoryCount}) or leave such columns out`,
  );
}

function resolveOptions(options: FeatureSpecOptions): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) {
      throw new OptionsError('OPTIONS_UNKNOWN', `unknown feature option "${key}"; expected one of ${[...OPTION_NAMES].join(', ')}`);
    }
  }
  const excluded = new Set<string>(options.exclude ?? []);
  if (options.target !== undefined) excluded.add(options.target);
  if (options.id !== undefined) excluded.add(options.id);

  const types = new Map<string, ColumnType>();
  for (const [name, type] of Object.entries(options.types ?? {})) {
    if (!COLUMN_TYPES.has(type)) {
      throw new OptionsError('OPTIONS_BAD_VALUE', `types.${name} is "${String(type)}"; expected numeric, categorical or boolean`);
    }
    types.set(name, type);
  }

  const [clipLow, clipHigh] = options.clipQuantiles ?? [0.005, 0.995];
  if (!(clipLow >= 0 && clipHigh <= 1 && clipLow < clipHigh)) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `clipQuantiles is [${clipLow}, ${clipHigh}]; expected 0 <= low < high <= 1`);
  }
  const minCategoryCount = options.minCategoryCount ?? 1;
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  if (!Number.isInteger(minCategoryCount) || minCategoryCount < 1) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `minCategoryCount is ${minCategoryCount}; expected an integer >= 1`);
  }
  if (!Number.isInteger(maxCategories) || maxCategories < 1) {
    throw new OptionsError('OPTIONS_BAD_VALUE', `maxCategories is ${maxCategories}; expected an integer >= 1`);
  }
  const aliasOption = options.aliases ?? DEFAULT_CATEGORY_ALIASES;
  const aliases: (readonly [string, string])[] =
    aliasOption === false ? [] : Array.isArray(aliasOption) ? [...aliasOption] : Object.entries(aliasOption);
  return {
    excluded,
    columns: options.columns,
    types,
    normalization: { foldCase: options.foldCase ?? true, aliases },
    clipLow,
    clipHigh,
    missingIndicators: options.missingIndicators ?? true,
    minCategoryCount,
    maxCategories,
  };
}

/** Every key found in the rows, in order of first appearance (a Set: no prototype keys involved). */
function discoverColumns(rows: readonly RawRecord[], excluded: Set<string>): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!excluded.has(key)) seen.add(key);
  return [...seen];
}

function inferType(values: readonly unknown[]): ColumnType {
  let present = 0;
  let numbers = 0;
  let booleanWords = 0;
  for (const value of values) {
    if (isMissingCell(value)) continue;
    present++;
    if (isBooleanWord(value)) booleanWords++;
    // An infinity counts as a number, so that fitting refuses it rather than making the column categorical.
    else if (!Number.isNaN(readNumber(value)) || unusableFeatureNumber(value) !== undefined) numbers++;
  }
  if (present === 0) return 'numeric';
  if (booleanWords === present) return 'boolean';
  if (numbers === present) return 'numeric';
  return 'categorical';
}

function fitColumn(name: string, rows: readonly RawRecord[], options: ResolvedOptions): ColumnSpec {
  const read = createFieldReader(name);
  const values = rows.map(read);
  const type = options.types.get(name) ?? inferType(values);
  if (type === 'boolean') {
    let trues = 0;
    let known = 0;
    for (const value of values) {
      const flag = readBoolean(value);
      if (flag === flag) {
        known++;
        trues += flag;
      }
    }
    return { name, type, imputed: known > 0 ? trues / known : 0 };
  }
  if (type === 'categorical') return fitCategorical(name, values, options);

  const present: number[] = [];
  values.forEach((value, index) => {
    const unusable = unusableFeatureNumber(value);
    if (unusable !== undefined) throw new InputError('INPUT_UNUSABLE_NUMBER', unusable, { row: index + 1, column: name });
    const number = readNumber(value);
    if (number === number) present.push(number);
  });
  const sorted = Float64Array.from(present).sort();
  const median = sorted.length > 0 ? quantileOfSorted(sorted, 0.5) : 0;
  const clipLow = sorted.length > 0 ? quantileOfSorted(sorted, options.clipLow) : 0;
  const clipHigh = sorted.length > 0 ? quantileOfSorted(sorted, options.clipHigh) : 0;
  const clippedMedian = Math.min(Math.max(median, clipLow), clipHigh);
  const used = Float64Array.from(values, (value) => {
    const number = readNumber(value);
    return number === number ? Math.min(Math.max(number, clipLow), clipHigh) : clippedMedian;
  });
  const { mean, std: deviation } = meanAndDeviation(used, clippedMedian);
  // A constant column keeps std 1 so it encodes as 0 rather than dividing by zero.
  const std = deviation > 1e-6 ? deviation : 1;
  return {
    name,
    type,
    median,
    clipLow,
    clipHigh,
    mean,
    std,
    missingIndicator: options.missingIndicators && present.length < values.length,
  };
}

function fitCategorical(name: string, values: readonly unknown[], options: ResolvedOptions): ColumnSpec {
  const keyOf = createCategoryKey(options.normalization);
  // key → count and the most frequent original spelling, shown as the category's name.
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  let missing = 0;
  for (const value of values) {
    const text = readCategory(value);
    if (text === undefined) {
      missing++;
      continue;
    }
    const key = keyOf(text);
    let entry = counts.get(key);
    if (!entry) counts.set(key, (entry = { count: 0, spellings: new Map() }));
    entry.count++;
    const spelling = text.trim();
    entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1);
  }
  const spellingOf = (key: string, entry: { spellings: Map<string, number> }) => canonicalSpelling(options.normalization, key) ?? mostFrequent(entry.spellings);
  const ranked = [...counts.entries()]
    // A value longer than a model file stores (a free-text note) goes to the unknown slot: kept,
    // it made training fail only once done, when the model file was checked.
    .filter(([key, entry]) => entry.count >= options.minCategoryCount && spellingOf(key, entry).length <= MODEL_LIMITS.maxNameLength)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, options.maxCategories);
  const keptCount = kept.reduce((sum, [, entry]) => sum + entry.count, 0);
  const categories = kept.map(([key, entry]) => spellingOf(key, entry)).sort();
  return { name, type: 'categorical', categories, unknownSeen: missing + (values.length - missing - keptCount) > 0 };
}

function mostFrequent(spellings: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [spelling, count] of spellings) {
    if (count > bestCount || (count === bestCount && spelling < best)) {
      best = spelling;
      bestCount = count;
    }
  }
  return best;
}

function meanEncodedVector(spec: FeatureSpec, rows: readonly RawRecord[]): number[] {
  const encode = compileEncoder(spec);
  const row = new Float32Array(spec.inputSize);
  const sums = new Float64Array(spec.inputSize);
  for (const record of rows) {
    encode(record, row, 0);
    for (let i = 0; i < row.length; i++) sums[i]! += row[i]!;
  }
  return Array.from(sums, (sum) => sum / rows.length);
}
