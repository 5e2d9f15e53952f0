import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { UpliftMethodResult, UpliftResults } from '../report/uplift-curves.js';

/**
 * Reads the file `churnkit uplift --json > uplift.json` wrote, for `churnkit report --uplift`.
 * Every curve is checked before the report is drawn: a truncated or hand-edited file gets an
 * `InputError` (`REPORT_UPLIFT_FILE`) naming what is wrong, never a broken chart.
 *
 * @example
 * const results = await readUpliftResults('uplift.json');
 * results.reports.length; // one per action and method
 */
export async function readUpliftResults(file: string): Promise<UpliftResults> {
  const fail = (detail: string): never => {
    throw new InputError('REPORT_UPLIFT_FILE', `${detail}; expected what "churnkit uplift --json" prints`, { file });
  };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError('REPORT_UPLIFT_FILE', 'cannot read the uplift results file', { file }, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (!isObject(parsed) || typeof parsed.store !== 'string' || !isCount(parsed.decisions) || !Array.isArray(parsed.reports)) {
    return fail('no "store", "decisions" and "reports"');
  }
  const reports = parsed.reports.map((report: unknown, index: number): UpliftMethodResult => {
    const where = `reports[${index}]`;
    if (!isObject(report) || typeof report.action !== 'string' || typeof report.method !== 'string') return fail(`${where} has no "action" and "method"`);
    const test = report.test;
    if (!isObject(test) || !isCount(test.treated) || !isCount(test.control)) return fail(`${where} ("${report.action}", ${report.method}) has no test counts`);
    const evaluation = report.evaluation;
    if (evaluation !== null && !isEvaluation(evaluation)) return fail(`${where} ("${report.action}", ${report.method}) has a malformed "evaluation"`);
    return {
      action: report.action,
      method: report.method,
      test: { treated: test.treated, control: test.control },
      evaluation: evaluation as UpliftMethodResult['evaluation'],
      ...(typeof report.error === 'string' ? { error: report.error } : {}),
    };
  });
  if (reports.length === 0) return fail('no results in "reports"');
  return { store: parsed.store, decisions: parsed.decisions, reports };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Curves of equal length on shares from 0 to 1; bands may be null where the bootstrap had an empty arm (JSON has no NaN). */
function isEvaluation(value: unknown): boolean {
  if (!isObject(value) || !isObject(value.bands)) return false;
  const { share, qini, upliftAtK, coefficient, bands } = value;
  if (!Array.isArray(share) || share.length < 2 || !share.every(isFiniteNumber)) return false;
  if (share[0] !== 0 || share[share.length - 1] !== 1 || share.some((at, index) => index > 0 && at <= share[index - 1])) return false;
  if (!Array.isArray(qini) || qini.length !== share.length || !qini.every(isFiniteNumber)) return false;
  if (!Array.isArray(upliftAtK) || upliftAtK.length !== share.length || !upliftAtK.every((at) => at === null || isFiniteNumber(at))) return false;
  if (!isFiniteNumber(coefficient)) return false;
  const band = (entry: unknown) => isObject(entry) && (entry.low === null || isFiniteNumber(entry.low)) && (entry.high === null || isFiniteNumber(entry.high));
  if (!Array.isArray(bands.qini) || bands.qini.length !== share.length || !bands.qini.every(band)) return false;
  return isObject(bands.coefficient) && isFiniteNumber(bands.coefficient.low) && isFiniteNumber(bands.coefficient.high);
}
