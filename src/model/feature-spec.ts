/**
 * The fitted preprocessing of raw store records into the network's input vector.
 * A `FeatureSpec` is plain JSON (it is stored inside the model file); everything
 * derived from it for speed lives in `compile-encoder.ts`.
 *
 * Encoded layout, column after column in `columns` order:
 * - numeric: the standardised, clipped value, then a 0/1 "was missing" indicator
 *   when `missingIndicator` is true;
 * - categorical: one slot per entry of `categories`, then one "unknown" slot;
 * - boolean: one slot, 1 for true and 0 for false.
 */

/** A customer as the store knows it: column name → cell. */
export type RawRecord = Record<string, string | number | boolean | null | undefined>;

export type ColumnType = 'numeric' | 'categorical' | 'boolean';

export interface NumericColumnSpec {
  readonly name: string;
  readonly type: 'numeric';
  /** Replaces missing, non-numeric and non-finite cells (median of the training cells). */
  readonly median: number;
  /** Values are clipped to [clipLow, clipHigh] (fitted quantiles) before standardising. */
  readonly clipLow: number;
  readonly clipHigh: number;
  /** Mean and standard deviation of the clipped, imputed training values. */
  readonly mean: number;
  readonly std: number;
  /** Whether a 0/1 "was missing" slot follows the value (true when training data had gaps). */
  readonly missingIndicator: boolean;
}

export interface CategoricalColumnSpec {
  readonly name: string;
  readonly type: 'categorical';
  /** Known categories, in slot order (canonical spellings). An "unknown" slot follows them. */
  readonly categories: readonly string[];
  /**
   * Whether training rows used the unknown slot (rare or missing categories). If they did,
   * unseen values at prediction time go to that slot; if not, the slot was never trained,
   * so unseen values are encoded as the training frequencies of the block instead (neutral).
   */
  readonly unknownSeen: boolean;
}

export interface BooleanColumnSpec {
  readonly name: string;
  readonly type: 'boolean';
  /** Replaces missing or unreadable cells: the share of true values in training. */
  readonly imputed: number;
}

export type ColumnSpec = NumericColumnSpec | CategoricalColumnSpec | BooleanColumnSpec;

/** How categorical spellings are reconciled before lookup. */
export interface CategoryNormalization {
  /** Trim, collapse inner whitespace and lower-case before comparing. */
  readonly foldCase: boolean;
  /** `[variant, canonical]` pairs, e.g. `["CC", "Credit Card"]`, compared after folding. */
  readonly aliases: readonly (readonly [string, string])[];
}

export interface FeatureSpec {
  readonly columns: readonly ColumnSpec[];
  readonly categoryNormalization: CategoryNormalization;
  /** Number of floats `encodeRecord` writes. */
  readonly inputSize: number;
  /** Mean encoded training vector: the reference point of explanations and `baseProbability`. */
  readonly baseline: readonly number[];
}

/** How many input slots a column occupies. */
export function columnWidth(column: ColumnSpec): number {
  switch (column.type) {
    case 'numeric':
      return column.missingIndicator ? 2 : 1;
    case 'categorical':
      return column.categories.length + 1;
    case 'boolean':
      return 1;
  }
}
