import { columnWidth, type FeatureSpec, type RawRecord } from '../model/feature-spec.js';
import { createFieldReader } from '../model/read-field.js';

/** One raw column's share of a prediction. */
export interface Contribution {
  /** The raw column name, as in the training data. */
  feature: string;
  /** The record's value for that column as given (null when absent). */
  value: string | number | boolean | null;
  /** Its share of logit(prediction) − logit(baseProbability); positive pushes toward churn. */
  contribution: number;
}

/**
 * Sums per-input shares back to the raw columns they came from (all slots of a
 * one-hot block, a value and its missing indicator) and sorts by |share|, largest first.
 */
export function columnContributions(
  spec: FeatureSpec,
  record: RawRecord,
  inputShares: ArrayLike<number>,
  top = Infinity,
): Contribution[] {
  const result: Contribution[] = [];
  let slot = 0;
  for (const column of spec.columns) {
    const width = columnWidth(column);
    let share = 0;
    for (let i = slot; i < slot + width; i++) share += inputShares[i]!;
    slot += width;
    const raw = createFieldReader(column.name)(record);
    const value = typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && !Number.isNaN(raw)) ? raw : null;
    result.push({ feature: column.name, value, contribution: Number.isFinite(share) ? share : 0 });
  }
  result.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return result.slice(0, top);
}
