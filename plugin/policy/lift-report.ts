/**
 * The lift report: per action, retention in the treatment group against the hold-out,
 * with a 95 % confidence interval on the difference.
 *
 * The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10): a Wilson
 * score interval for each proportion, combined. Unlike the plain normal approximation it
 * stays inside [-1, 1] and keeps its coverage with the small counts and near-0/1 rates a
 * fresh hold-out produces.
 */
import type { DecisionSummaryRow, Group, ReportRow } from '../store/types.js';

const Z_95 = 1.959963984540054;

export interface GroupRetention {
  customers: number;
  retained: number;
  /** retained / customers, or null with no customers. */
  retention: number | null;
}

export interface ActionLift {
  action: string;
  treatment: GroupRetention;
  holdout: GroupRetention;
  /** Treatment retention minus hold-out retention, or null when either group is empty. */
  lift: number | null;
  confidenceInterval: { level: 0.95; low: number; high: number } | null;
  /** Decisions issued (treatment) and logged as would-be (hold-out) for this action. */
  issued: number;
  heldOut: number;
  cost: number;
}

/** Wilson score interval for `successes` out of `trials` at z (95 % by default). */
export function wilsonInterval(successes: number, trials: number, z = Z_95): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const halfWidth = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - halfWidth), high: Math.min(1, centre + halfWidth) };
}

/**
 * Newcombe's interval for p1 - p2 from two independent binomial samples.
 *
 * @example
 * differenceInterval(60, 100, 40, 100); // { low: ≈0.06, high: ≈0.33 }
 */
export function differenceInterval(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
): { low: number; high: number } {
  const p1 = successes1 / trials1;
  const p2 = successes2 / trials2;
  const first = wilsonInterval(successes1, trials1);
  const second = wilsonInterval(successes2, trials2);
  const difference = p1 - p2;
  return {
    low: difference - Math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2),
    high: difference + Math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2),
  };
}

/**
 * Joins the store's outcome counts and decision summary into one row per action.
 *
 * @example
 * liftByAction(await store.outcomeReport(), await store.decisionSummary());
 */
export function liftByAction(
  outcomes: readonly ReportRow[],
  decisions: readonly DecisionSummaryRow[],
): ActionLift[] {
  const names = [...new Set([...outcomes.map((row) => row.action), ...decisions.map((row) => row.action)])].sort();
  return names.map((action) => {
    const treatment = retentionOf(outcomes, action, 'treatment');
    const holdout = retentionOf(outcomes, action, 'holdout');
    const comparable = treatment.customers > 0 && holdout.customers > 0;
    const interval = comparable
      ? differenceInterval(treatment.retained, treatment.customers, holdout.retained, holdout.customers)
      : null;
    const decided = (group: Group) => decisions.find((row) => row.action === action && row.group === group);
    return {
      action,
      treatment,
      holdout,
      lift: comparable ? treatment.retention! - holdout.retention! : null,
      confidenceInterval: interval ? { level: 0.95, ...interval } : null,
      issued: decided('treatment')?.count ?? 0,
      heldOut: decided('holdout')?.count ?? 0,
      cost: decided('treatment')?.cost ?? 0,
    };
  });
}

function retentionOf(rows: readonly ReportRow[], action: string, group: Group): GroupRetention {
  const row = rows.find((candidate) => candidate.action === action && candidate.group === group);
  const customers = row?.customers ?? 0;
  const retained = row?.retained ?? 0;
  return { customers, retained, retention: customers > 0 ? retained / customers : null };
}
