import { computeBatchFeatures } from '../features/batch-features.node.js';
import type { ChurnLabelConfig } from '../features/churn-label.js';
import type { EventColumns } from '../features/event-columns.js';
import { FEATURE_NAMES } from '../features/feature-definitions.js';
import type { RawRecord } from '../model/feature-spec.js';

/** The columns of a point-in-time row, as `churnkit features` writes them. */
export const ID_COLUMN = 'customer_id';
export const TARGET_COLUMN = 'churned';

/** The labelled rows of one cut-off. */
export interface LabelledRows {
  cutoffMs: number;
  records: RawRecord[];
  /** 0/1 per record, as in `records[i].churned`. */
  labels: Uint8Array;
}

/**
 * One row per customer with an event before the cut-off: the batch pipeline's features as of
 * the cut-off (the same definitions the plugin scores with) and the churn label of its window,
 * keyed like `churnkit features`' table. The log must reach the end of the label window.
 *
 * @example
 * const { records, labels } = labelledRows(columns, resolveChurnLabel({ asOf: '2025-09-30', horizon: '90d' }));
 */
export function labelledRows(columns: EventColumns, label: ChurnLabelConfig): LabelledRows {
  const batch = computeBatchFeatures(columns, { label });
  if (batch.churned === undefined) throw new Error(`the log ends before the label window of the cut-off ${new Date(label.cutoffMs).toISOString()} does`);
  const labels = batch.churned;
  const records = batch.customerIds.map((customerId, row) => {
    const record: RawRecord = { [ID_COLUMN]: customerId };
    const features = batch.features[row]!;
    FEATURE_NAMES.forEach((name, f) => (record[name] = features[f]!));
    record[TARGET_COLUMN] = labels[row]!;
    return record;
  });
  return { cutoffMs: label.cutoffMs, records, labels };
}
