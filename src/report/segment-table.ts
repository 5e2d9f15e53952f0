import { InputError } from '../errors.js';
import { confusionAt } from '../metrics/confusion.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { createCategoryKey } from '../model/category-normalization.js';
import type { FeatureSpec, RawRecord } from '../model/feature-spec.js';
import { quantileOfSorted } from '../model/quantile.js';

/** How the model does on one group of customers. */
export interface SegmentRow {
  segment: string;
  rows: number;
  /** Share of all rows. */
  share: number;
  churnRate: number;
  meanPredicted: number;
  /** Share of the segment at or above the model's threshold. */
  flaggedShare: number;
  precision: number;
  recall: number;
  /** Null when the segment has only one class (AUC is undefined there). */
  auc: number | null;
}

export interface SegmentTable {
  column: string;
  /** 'values': one row per value; 'ranges': numeric column cut at its quintiles. */
  grouping: 'values' | 'ranges';
  rows: SegmentRow[];
}

/** A column with more distinct numbers than this is cut into ranges. */
const MAX_NUMERIC_VALUES = 12;
/** Categories kept apart; rarer ones are pooled as "(other)". */
const MAX_CATEGORIES = 12;
const RANGES = 5;
const MISSING = '(missing)';
const OTHER = '(other)';

/**
 * The evaluation broken down by a column the user names (device, city tier,
 * tenure): size, churn rate, mean prediction (calibration per group), how many
 * are flagged and the precision, recall and AUC inside the group. A numeric
 * column with many values is cut at its quintiles; a categorical column the
 * model knows is grouped with the model's spelling rules ("Phone" and "Mobile
 * Phone" are one group, as they are one input).
 *
 * @example
 * segmentTable(records, labels, probabilities, model.threshold, 'PreferredLoginDevice', model.featureSpec);
 * // { column: 'PreferredLoginDevice', grouping: 'values', rows: [{ segment: 'Mobile Phone', rows: 801, churnRate: 0.15, auc: 0.99, ... }, ...] }
 */
export function segmentTable(
  records: readonly RawRecord[],
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold: number,
  column: string,
  spec?: FeatureSpec,
): SegmentTable {
  if (!records.some((record) => Object.hasOwn(record, column))) {
    throw new InputError('INPUT_MISSING_COLUMN', `no column "${column}" to segment by; expected one of the file's columns`, { column });
  }
  const values = records.map((record) => record[column]);
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const distinct = new Set(numbers).size;
  const isRanges = numbers.length > 0 && numbers.length === values.filter((value) => !isMissing(value)).length && distinct > MAX_NUMERIC_VALUES;
  const groupOf = isRanges ? rangeGrouper(numbers) : valueGrouper(values, column, spec);
  const members = new Map<string, number[]>();
  values.forEach((value, row) => {
    const group = isMissing(value) ? MISSING : groupOf(value!);
    const rows = members.get(group);
    if (rows) rows.push(row);
    else members.set(group, [row]);
  });
  const order = isRanges ? [...members.keys()].sort(byRangeStart) : [...members.keys()].sort((a, b) => members.get(b)!.length - members.get(a)!.length);
  return { column, grouping: isRanges ? 'ranges' : 'values', rows: order.map((segment) => segmentRow(segment, members.get(segment)!, records.length, labels, probabilities, threshold)) };
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value));
}

/** Quintile ranges "[a, b)", the last closed; tied quantiles merge into fewer ranges. */
function rangeGrouper(numbers: readonly number[]): (value: NonNullable<RawRecord[string]>) => string {
  const sorted = Float64Array.from(numbers).sort();
  const cuts = [...new Set(Array.from({ length: RANGES - 1 }, (_, k) => quantileOfSorted(sorted, (k + 1) / RANGES)))];
  const bounds = [sorted[0]!, ...cuts.filter((cut) => cut > sorted[0]! && cut < sorted[sorted.length - 1]!), sorted[sorted.length - 1]!];
  const format = (value: number) => String(Number(value.toPrecision(4)));
  return (value) => {
    const number = Number(value);
    let k = 0;
    while (k < bounds.length - 2 && number >= bounds[k + 1]!) k++;
    return `${format(bounds[k]!)} to ${k === bounds.length - 2 ? '' : 'under '}${format(bounds[k + 1]!)}`;
  };
}

function byRangeStart(a: string, b: string): number {
  if (a === MISSING) return 1;
  if (b === MISSING) return -1;
  return parseFloat(a) - parseFloat(b);
}

function valueGrouper(values: readonly RawRecord[string][], column: string, spec: FeatureSpec | undefined): (value: NonNullable<RawRecord[string]>) => string {
  const columnSpec = spec?.columns.find((candidate) => candidate.name === column);
  const key = columnSpec?.type === 'categorical' ? createCategoryKey(spec!.categoryNormalization) : (text: string) => text;
  const labels = new Map<string, string>();
  if (columnSpec?.type === 'categorical') for (const category of columnSpec.categories) labels.set(key(category), category);
  const counts = new Map<string, number>();
  for (const value of values) {
    if (isMissing(value)) continue;
    const group = key(String(value));
    if (!labels.has(group)) labels.set(group, String(value));
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  const kept = new Set([...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CATEGORIES).map(([group]) => group));
  return (value) => {
    const group = key(String(value));
    return kept.has(group) ? labels.get(group)! : OTHER;
  };
}

function segmentRow(segment: string, rows: readonly number[], total: number, labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold: number): SegmentRow {
  const segmentLabels = rows.map((row) => labels[row]!);
  const segmentScores = rows.map((row) => probabilities[row]!);
  const positives = segmentLabels.reduce((sum, label) => sum + label, 0);
  const confusion = confusionAt(segmentLabels, segmentScores, threshold);
  return {
    segment,
    rows: rows.length,
    share: rows.length / total,
    churnRate: positives / rows.length,
    meanPredicted: segmentScores.reduce((sum, score) => sum + score, 0) / rows.length,
    flaggedShare: (confusion.tp + confusion.fp) / rows.length,
    precision: confusion.precision,
    recall: confusion.recall,
    auc: positives > 0 && positives < rows.length ? rocAuc(segmentLabels, segmentScores) : null,
  };
}
