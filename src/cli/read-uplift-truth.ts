import { readCsvFile } from '../data/read-csv-file.node.js';
import { requireColumns } from '../data/require-columns.js';
import type { UpliftObservation } from '../uplift/observation.js';

/** The oracle's uplift for a logged decision, from the simulator's answer key. */
export interface OracleScores {
  /** The true expected uplift of the decision's action for that customer then; NaN when the truth file lacks the decision. */
  expectedUplift(observation: UpliftObservation): number;
}

/**
 * Reads the answer key `churnkit simulate --truth` writes (one row per customer considered,
 * keyed by customer and time): the oracle's expected uplift of each action.
 *
 * @example
 * const oracle = await readUpliftTruth('sim-truth.csv');
 * oracle.expectedUplift(observation); // e.g. 0.21
 */
export async function readUpliftTruth(file: string): Promise<OracleScores> {
  const table = await readCsvFile(file);
  requireColumns(table, ['customer_id', 'considered_at'], 'the answer key of churnkit simulate');
  const upliftColumns = table.columns.filter((column) => column.endsWith('_expected_uplift'));
  const byDecision = new Map<string, Record<string, number>>();
  for (const record of table.records) {
    const uplift: Record<string, number> = {};
    for (const column of upliftColumns) {
      const value = record[column];
      if (typeof value === 'number') uplift[column.slice(0, -'_expected_uplift'.length)] = value;
    }
    byDecision.set(`${String(record.customer_id)}\u0000${Date.parse(String(record.considered_at))}`, uplift);
  }
  return {
    expectedUplift: (observation) => byDecision.get(`${observation.customerId}\u0000${observation.ts}`)?.[observation.action] ?? Number.NaN,
  };
}
