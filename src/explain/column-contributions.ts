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
 * What summing input shares back to raw columns needs from a feature spec, worked out once
 * per model: each column's name, how many inputs it encodes to, and a field reader.
 */
export interface ColumnLayout {
  readonly names: readonly string[];
  readonly widths: Int32Array;
  readonly readers: readonly ((record: RawRecord) => unknown)[];
  /** Per-column sums of the last call (reused). */
  readonly sums: Float64Array;
}

export function columnLayout(spec: FeatureSpec): ColumnLayout {
  return {
    names: spec.columns.map((column) => column.name),
    widths: Int32Array.from(spec.columns, columnWidth),
    readers: spec.columns.map((column) => createFieldReader(column.name)),
    sums: new Float64Array(spec.columns.length),
  };
}

/**
 * Sums per-input shares back to the raw columns they came from (all slots of a one-hot
 * block, a value and its missing indicator) and returns the `top` columns by |share|, largest
 * first (ties: the earlier column). Only the columns returned become objects, so asking for
 * three reasons of a 47-column model builds three.
 */
export function columnContributions(layout: ColumnLayout, record: RawRecord, inputShares: ArrayLike<number>, top = Infinity): Contribution[] {
  const { sums, widths } = layout;
  let slot = 0;
  for (let column = 0; column < sums.length; column++) {
    let share = 0;
    const end = slot + widths[column]!;
    for (; slot < end; slot++) share += inputShares[slot]!;
    sums[column] = Number.isFinite(share) ? share : 0;
  }
  const order = top >= sums.length ? allByMagnitude(sums) : largestByMagnitude(sums, Math.floor(top));
  return order.map((column) => {
    const raw = layout.readers[column]!(record);
    const value = typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && !Number.isNaN(raw)) ? raw : null;
    return { feature: layout.names[column]!, value, contribution: sums[column]! };
  });
}

function allByMagnitude(sums: Float64Array): number[] {
  // Array.prototype.sort is stable: equal magnitudes keep column order.
  return Array.from(sums.keys()).sort((a, b) => Math.abs(sums[b]!) - Math.abs(sums[a]!));
}

/** The indices of the `count` largest |sums|, largest first, by insertion into a short sorted list. */
function largestByMagnitude(sums: Float64Array, count: number): number[] {
  const chosen: number[] = [];
  if (count <= 0) return chosen;
  for (let column = 0; column < sums.length; column++) {
    const magnitude = Math.abs(sums[column]!);
    if (chosen.length === count) {
      if (magnitude <= Math.abs(sums[chosen[count - 1]!]!)) continue;
      chosen.pop();
    }
    let at = chosen.length;
    while (at > 0 && Math.abs(sums[chosen[at - 1]!]!) < magnitude) at--;
    chosen.splice(at, 0, column);
  }
  return chosen;
}
