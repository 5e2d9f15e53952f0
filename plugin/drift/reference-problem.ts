/**
 * What makes a model's reference distribution unfit to compare live traffic with, beyond the
 * shape the model loader checks (one entry per column, each with its bins). Checked here, where
 * only drift reads the reference, and not by the loader: a model with such a reference scores
 * as well as any, and the scoring core a page downloads stays within its 30 KB.
 */
import type { FeatureSpec } from '../../src/model/feature-spec.js';
import type { ReferenceDistribution } from '../../src/model/reference-distribution.js';

/** The most a share is off by, written to six decimals (`src/model/fit-reference.ts`). */
const SHARE_ROUNDING = 5e-7;

/**
 * Why drift cannot be measured against `reference`, or null when it can:
 * - an entry's shares are fractions of the training rows, so they add up to 1; shares that do
 *   not (halved, zeroed) would read traffic just like the training rows as drifted;
 * - a numeric column without a missing indicator has no share of missing cells: the model
 *   reads a missing cell as the median, and so does the bin, so no live customer would fill
 *   that share, and the column would read as drifted for ever.
 *
 * @example
 * referenceProblem(model.featureSpec, model.metadata.reference!); // null for a file churnkit wrote
 */
export function referenceProblem(featureSpec: FeatureSpec, reference: ReferenceDistribution): string | null {
  const entries = [...reference.columns.map((entry, index) => ({ where: `"metadata.reference.columns[${index}]" ("${entry.name}")`, entry })), { where: '"metadata.reference.score"', entry: reference.score }];
  for (const { where, entry } of entries) {
    const sum = entry.shares.reduce((total, share) => total + share, 0);
    if (!(Math.abs(sum - 1) <= entry.shares.length * SHARE_ROUNDING + 1e-9)) return `${where} has shares adding up to ${sum}; expected 1 (the fraction of the training rows in each bin)`;
  }
  for (const [index, column] of featureSpec.columns.entries()) {
    const shares = reference.columns[index]!.shares;
    if (column.type === 'numeric' && !column.missingIndicator && shares[shares.length - 1]! > 0) {
      return `"metadata.reference.columns[${index}]" ("${column.name}") gives missing cells a share, ${shares[shares.length - 1]}, but the model has no missing indicator for them and reads a missing cell as the median; expected 0`;
    }
  }
  return null;
}
