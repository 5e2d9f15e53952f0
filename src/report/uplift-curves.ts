/**
 * The uplift part of a report: per action, the Qini and uplift-at-k curves of each uplift
 * method (and of the oracle on simulated data) on the held-out decisions `churnkit uplift`
 * evaluated them on, with their bootstrap bands. The input is what `churnkit uplift --json`
 * prints; this module only regroups it by action for the page.
 */
import type { UpliftEvaluation } from '../uplift/bootstrap-bands.js';

/** One method's evaluation for one action, as `churnkit uplift --json` prints it. */
export interface UpliftMethodResult {
  action: string;
  /** 't-learner', 'class-transformation' or 'oracle' (simulated stores). */
  method: string;
  test: { treated: number; control: number };
  /** null when the method could not be fitted; `error` says why. */
  evaluation: UpliftEvaluation | null;
  error?: string;
}

/** What `churnkit uplift --json` prints (the fields the report reads). */
export interface UpliftResults {
  /** Where the decisions came from (the store's path or URL). */
  store: string;
  decisions: number;
  reports: UpliftMethodResult[];
}

/** One action's curves, methods in the order given, the oracle last. */
export interface ActionUpliftCurves {
  action: string;
  test: { treated: number; control: number };
  methods: { method: string; evaluation: UpliftEvaluation }[];
  /** Methods without curves, and why. */
  missing: { method: string; reason: string }[];
}

/** The report's uplift section. */
export interface UpliftSection {
  store: string;
  decisions: number;
  actions: ActionUpliftCurves[];
}

/**
 * Regroups `churnkit uplift --json`'s results by action for the report.
 *
 * @example
 * const section = upliftSection(JSON.parse(readFileSync('uplift.json', 'utf8')));
 * section.actions[0].methods.map((entry) => entry.method); // ['t-learner', 'class-transformation', 'oracle']
 */
export function upliftSection(results: UpliftResults): UpliftSection {
  const byAction = new Map<string, ActionUpliftCurves>();
  for (const result of results.reports) {
    let entry = byAction.get(result.action);
    if (entry === undefined) {
      entry = { action: result.action, test: result.test, methods: [], missing: [] };
      byAction.set(result.action, entry);
    }
    if (result.evaluation === null) entry.missing.push({ method: result.method, reason: result.error ?? 'not evaluated' });
    else entry.methods.push({ method: result.method, evaluation: result.evaluation });
  }
  for (const entry of byAction.values()) {
    entry.methods.sort((a, b) => Number(a.method === 'oracle') - Number(b.method === 'oracle'));
  }
  return { store: results.store, decisions: results.decisions, actions: [...byAction.values()] };
}
