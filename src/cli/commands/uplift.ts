import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../../errors.js';
import { loadEngine } from '../../node/index.js';
import type { Engine } from '../../engine/types.js';
import { evaluateUplift, type UpliftEvaluation } from '../../uplift/bootstrap-bands.js';
import { armCounts, byAction, type ArmCounts, type UpliftObservation } from '../../uplift/observation.js';
import { splitByCustomer } from '../../uplift/test-split.js';
import { trainUplift, UPLIFT_SHRINKAGE_PATH, type UpliftTrainerSettings } from '../../uplift/train-uplift.js';
import { UPLIFT_METHODS, type UpliftMethod } from '../../uplift/uplift-role.js';
import { ACTION_NAME, ACTION_NAME_RULE } from '../../../plugin/policy/action-name.js';
import { loggedObservations } from '../../../plugin/policy/logged-observations.js';
import { formatTable } from '../format-table.js';
import { addStoreFlags, openFlaggedStore, type StoreFlags } from '../open-store.js';
import { integer, integerAtLeast, shareStrictlyBetweenZeroAndOne } from '../option-parsers.js';
import { startProgress } from '../progress.js';
import { addNetworkFlags, networkOptionsFrom, type NetworkFlags } from '../training-flags.js';
import { readUpliftTruth, type OracleScores } from '../read-uplift-truth.js';
import { checkOutputs } from '../check-outputs.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';
import { removeEarlierUpliftFiles } from '../earlier-uplift-files.js';

interface UpliftOptions extends NetworkFlags, StoreFlags {
  out: string;
  methods: UpliftMethod[];
  holdoutFraction?: number;
  testShare: number;
  bootstrap: number;
  truth?: string;
  json?: boolean;
}

/** One action × method: what it learned from and how it ranks held-out customers. */
interface MethodReport {
  action: string;
  method: UpliftMethod | 'oracle';
  /** Treatment probability used (1 − hold-out fraction). */
  treatmentProbability: number;
  train: ArmCounts;
  test: ArmCounts;
  evaluation: UpliftEvaluation | null;
  /** The learning rate and L2 the written models were trained with, when chosen on the log (not set by flags). */
  shrinkage?: { learningRate: number; l2: number };
  /** Model files written (trained on every row), or why none were. */
  files: string[];
  error?: string;
}

/**
 * `churnkit uplift --store <sqlite:dataDir | file.sqlite | redis://...> --out <folder>`: trains, from the
 * policy's logged decisions and their outcomes, one uplift model per action by each method
 * (T-learner, class transformation, DR-learner), evaluates each on a part of the customers it never saw
 * (Qini and uplift-at-k curves with bootstrap bands, the Qini coefficient), then refits on
 * every decision and writes the model files the plugin loads: `<out>/<method>/<action>.<arm>.json`.
 * With `--truth` (from `churnkit simulate`) the oracle's curves are computed on the same rows.
 *
 * @example
 * churnkit uplift --store sim.sqlite --out models/uplift --holdout-fraction 0.2 --truth sim-truth.csv
 */
export function registerUplift(program: Command): void {
  const command = addStoreFlags(program.command('uplift').description("train and evaluate uplift models (one per action) from the policy's logged decisions and outcomes"))
    .requiredOption('--out <folder>', 'where to write the model files (<out>/<method>/<action>.<arm>.json)')
    .addOption(new Option('--methods <names...>', 'uplift methods').choices(UPLIFT_METHODS).default([...UPLIFT_METHODS]));
  const path = UPLIFT_SHRINKAGE_PATH.map((candidate) => `${candidate.learningRate}/${candidate.l2}`).join(', ');
  addNetworkFlags(command, 'logreg', {
    lr: `learning rate (default for logreg: rate/L2 chosen per action on held-out customers from ${path})`,
    l2: 'L2 penalty on weights (default for logreg: chosen with the rate)',
  })
    .option('--seed <n>', 'seed of training, the test split and the bootstrap', integer, 42)
    // Both split in two parts that must each hold someone: 0 or 1 trained or tested nothing, or failed naming an SDK option.
    .option('--holdout-fraction <share>', "the plugin's holdoutFraction (default: each action's share of held-out decisions in the log)", shareStrictlyBetweenZeroAndOne)
    .option('--test-share <share>', 'share of customers kept out of training to evaluate on', shareStrictlyBetweenZeroAndOne, 0.3)
    .option('--bootstrap <n>', 'bootstrap resamples of the confidence bands', integerAtLeast(10), 200)
    .option('--truth <csv>', 'the answer key of churnkit simulate: adds the oracle\'s curves')
    .option('--json', 'print one JSON object (curves included) instead of a table')
    .action(async (options: UpliftOptions) => {
      checkOutputs([{ path: options.out, kind: 'folder', flag: '--out' }]);
      const store = await openFlaggedStore(options);
      let log;
      try {
        log = await loggedObservations(store);
      } finally {
        await store.close();
      }
      if (log.observations.length === 0) {
        throw new InputError(
          'UPLIFT_NO_DECISIONS',
          `no logged decisions with features and outcomes to learn from (${log.withoutOutcome} without an outcome yet, ${log.withoutFeatures} logged without features: turn on policy.logFeatures)`,
          { file: options.store },
        );
      }
      const actions = byAction(log.observations);
      const missingArm = new Map<string, string>();
      const unusableName = new Map<string, string>();
      for (const [action, rows] of actions) {
        if (!ACTION_NAME.test(action)) unusableName.set(action, unusableNameOf(action));
        const why = missingArmOf(action, armCounts(rows));
        if (why !== undefined) missingArm.set(action, why);
      }
      if (missingArm.size === actions.size) {
        throw new InputError('UPLIFT_ONE_ARM', [...missingArm.values()].join('; '), { file: options.store });
      }
      // Every action skipped, some for their names: nothing would be trained or written, and
      // exit 0 with "no model files written" reads as success to a scheduled job.
      const skipped = new Map([...missingArm, ...unusableName]);
      if (skipped.size === actions.size) {
        throw new InputError('UPLIFT_NOTHING_TO_LEARN', `no action's uplift can be learned: ${[...actions.keys()].map((action) => skipped.get(action)).join('; ')}`, { file: options.store });
      }
      const oracle = options.truth !== undefined ? await readUpliftTruth(options.truth) : undefined;
      const engine = await loadEngine();
      const trainer: UpliftTrainerSettings = networkOptionsFrom(options);
      // A method named twice is one method: trained, reported and written once.
      const methods = [...new Set(options.methods)];
      const progress = startProgress('training uplift models', actions.size * methods.length * 2);
      const reports: MethodReport[] = [];
      let fits = 0;
      try {
        for (const [action, rows] of actions) {
          const why = skipped.get(action);
          if (why !== undefined) {
            // The other actions can still be learned: this one is reported, not trained.
            for (const method of methods) reports.push(skippedReport(action, method, rows, `skipped: ${why}`));
            progress.update((fits += 2 * methods.length));
            continue;
          }
          const split = splitByCustomer(rows, options.testShare, options.seed);
          const counts = armCounts(rows);
          const treatmentProbability = options.holdoutFraction !== undefined ? 1 - options.holdoutFraction : counts.treated / rows.length;
          for (const method of methods) {
            reports.push(await fitMethod(engine, action, method, rows, split, treatmentProbability, trainer, options));
            progress.update((fits += 2));
          }
          if (oracle) reports.push(oracleReport(action, split, treatmentProbability, oracle, options));
        }
      } finally {
        progress.stop();
      }
      const removed = await removeEarlierUpliftFiles(
        options.out,
        methods,
        reports.flatMap((report) => report.files),
      );
      const summary = { store: options.store, decisions: log.observations.length, withoutOutcome: log.withoutOutcome, withoutFeatures: log.withoutFeatures, reports, removed };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      process.stdout.write(`${describe(summary)}\n`);
    });
}

/**
 * Why an action's uplift cannot be learned from its decisions, and what to do: one of the two
 * arms is empty (a log written with `holdoutFraction: 0`, or a single decision), and an uplift
 * is the difference between them.
 */
function missingArmOf(action: string, counts: ArmCounts): string | undefined {
  if (counts.control === 0) {
    return `action "${action}": its ${counts.treated} decisions have no hold-out arm (every one was acted on), so its uplift cannot be learned: keep a hold-out share (the plugin's policy.holdoutFraction above 0, churnkit simulate --holdout above 0) and train on decisions logged with it`;
  }
  if (counts.treated === 0) {
    return `action "${action}": its ${counts.control} decisions have no treated arm (every one was held out), so its uplift cannot be learned: train once the policy has acted on some of its customers`;
  }
  return undefined;
}

/**
 * Why an action's decisions give no model file: its name, which the files are named after, is
 * not one `policy.actions` takes (a store written by other code than the plugin). Such a name
 * could hold a path ("../x") and write outside --out; no policy could use its model anyway.
 */
function unusableNameOf(action: string): string {
  return `action ${JSON.stringify(action)} is not a name policy.actions takes (${ACTION_NAME_RULE}), so no policy could use its model and its files cannot be named after it`;
}

function skippedReport(action: string, method: UpliftMethod, rows: UpliftObservation[], error: string): MethodReport {
  const counts = armCounts(rows);
  return { action, method, treatmentProbability: counts.treated / rows.length, train: counts, test: armCounts([]), evaluation: null, files: [], error };
}

/** Uplift at k is reported at these shares of customers targeted. */
const REPORTED_SHARES = [0.1, 0.3];

async function fitMethod(
  engine: Engine,
  action: string,
  method: UpliftMethod,
  rows: UpliftObservation[],
  split: { train: UpliftObservation[]; test: UpliftObservation[] },
  treatmentProbability: number,
  trainer: UpliftTrainerSettings,
  options: UpliftOptions,
): Promise<MethodReport> {
  const report: MethodReport = { action, method, treatmentProbability, train: armCounts(split.train), test: armCounts(split.test), evaluation: null, files: [] };
  try {
    const unevaluated = unevaluableTest(report.test) ?? (await evaluateHeldBack(engine, method, split, treatmentProbability, trainer, options, report));
    if (unevaluated !== undefined) report.error = unevaluated;
    const final = await trainUplift(rows, { engine, method, treatmentProbability, trainer });
    final.dispose();
    if (final.shrinkage) report.shrinkage = final.shrinkage;
    const folder = join(options.out, method);
    await mkdir(folder, { recursive: true });
    for (const file of final.files) {
      const role = file.metadata.options.uplift as { arm: string };
      const path = join(folder, `${action}.${role.arm}.json`);
      await writeFileAtomically(path, `${JSON.stringify(file)}\n`);
      report.files.push(path);
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report.error = error.message;
  }
  return report;
}

/**
 * Trains on the customers not kept for testing and evaluates on the others, setting
 * `report.evaluation`; returns why it could not. An arm the test share leaves too small to
 * train (24 held-out decisions, 16 of them left for training) loses the evaluation, not the
 * model: the files are trained on every decision, which may be enough.
 */
async function evaluateHeldBack(
  engine: Engine,
  method: UpliftMethod,
  split: { train: UpliftObservation[]; test: UpliftObservation[] },
  treatmentProbability: number,
  trainer: UpliftTrainerSettings,
  options: UpliftOptions,
  report: MethodReport,
): Promise<string | undefined> {
  let held;
  try {
    held = await trainUplift(split.train, { engine, method, treatmentProbability, trainer });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return `not evaluated: once --test-share ${options.testShare} is kept out, the customers left cannot train it: ${error.message}; lower --test-share, or log more decisions`;
  }
  try {
    report.evaluation = evaluateUplift(
      split.test.map((row) => ({ score: held.model.uplift(row.features), treated: row.treated, retained: row.retained })),
      { resamples: options.bootstrap, seed: options.seed },
    );
  } finally {
    held.dispose();
  }
  return undefined;
}

/**
 * Why the test customers cannot measure an uplift: one arm has nobody in it. The curves would
 * count the empty arm's retention as 0, so the Qini and its "average uplift" would be the
 * other arm's retention rate, with bands as narrow as if it were measured.
 */
function unevaluableTest(test: ArmCounts): string | undefined {
  if (test.treated > 0 && test.control > 0) return undefined;
  const empty = test.control === 0 ? 'held-out' : 'treated';
  return `not evaluated: the test customers have no ${empty} decision (${test.treated} treated, ${test.control} held out), so no uplift can be measured on them; raise --test-share, or try another --seed`;
}

function oracleReport(
  action: string,
  split: { train: UpliftObservation[]; test: UpliftObservation[] },
  treatmentProbability: number,
  oracle: OracleScores,
  options: UpliftOptions,
): MethodReport {
  const test = armCounts(split.test);
  const common = { action, method: 'oracle' as const, treatmentProbability, train: armCounts(split.train), test, files: [] };
  const unevaluable = unevaluableTest(test);
  if (unevaluable !== undefined) return { ...common, evaluation: null, error: unevaluable };
  const rows = split.test.map((row) => ({ score: oracle.expectedUplift(row), treated: row.treated, retained: row.retained }));
  const missing = rows.filter((row) => Number.isNaN(row.score)).length;
  return {
    ...common,
    evaluation: missing === rows.length ? null : evaluateUplift(rows, { resamples: options.bootstrap, seed: options.seed }),
    ...(missing > 0 ? { error: `${missing} of ${rows.length} test decisions are not in the truth file` } : {}),
  };
}

function describe(summary: { decisions: number; withoutOutcome: number; withoutFeatures: number; reports: MethodReport[]; removed: string[] }): string {
  const header = [
    'action',
    'method',
    'train T/C',
    'test T/C',
    'Qini coefficient [95 %]',
    ...REPORTED_SHARES.map((share) => `uplift@${share * 100}%`),
    'average uplift',
    'rate/L2',
  ];
  const at = (evaluation: UpliftEvaluation, share: number) => {
    const value = evaluation.upliftAtK[evaluation.share.findIndex((grid) => Math.abs(grid - share) < 1e-9)];
    return value === null || value === undefined ? '—' : value.toFixed(3);
  };
  const rows = summary.reports.map((report) => {
    const evaluation = report.evaluation;
    return [
      report.action,
      report.method,
      `${report.train.treated}/${report.train.control}`,
      `${report.test.treated}/${report.test.control}`,
      evaluation
        ? `${evaluation.coefficient.toFixed(4)} [${evaluation.bands.coefficient.low.toFixed(4)}, ${evaluation.bands.coefficient.high.toFixed(4)}]`
        : `— (${report.error ?? 'not evaluated'})`,
      ...REPORTED_SHARES.map((share) => (evaluation ? at(evaluation, share) : '—')),
      evaluation ? evaluation.qini[evaluation.qini.length - 1]!.toFixed(3) : '—',
      report.shrinkage ? `${report.shrinkage.learningRate}/${report.shrinkage.l2}` : '—',
    ];
  });
  const files = summary.reports.flatMap((report) => report.files);
  return [
    `${summary.decisions} logged decisions with outcomes (${summary.withoutOutcome} still without an outcome, ${summary.withoutFeatures} without features)`,
    formatTable(header, rows),
    'Qini coefficient: area between the Qini curve and random targeting, on the test customers; bands from the bootstrap.',
    files.length > 0 ? `wrote ${files.length} model files: ${files.join(', ')}` : 'no model files written',
    ...(summary.removed.length > 0 ? [`removed ${summary.removed.length} model files of an earlier run that this one did not write again: ${summary.removed.join(', ')}`] : []),
  ].join('\n');
}
