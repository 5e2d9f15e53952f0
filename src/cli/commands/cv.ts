import type { Command } from 'commander';
import type { Evaluation } from '../../metrics/evaluation.js';
import { mean, populationStd } from '../../metrics/summary-statistics.js';
import { loadEngine } from '../../node/index.js';
import { crossValidateFolds } from '../../train/cross-validate.js';
import { stratifiedFolds } from '../../train/stratified-folds.js';
import { formatTable } from '../format-table.js';
import { integerAtLeast } from '../option-parsers.js';
import { startProgress } from '../progress.js';
import { readTrainingData } from '../read-training-data.js';
import { requireRowsPerFold } from '../../train/require-rows-per-fold.js';
import { addTrainingFlags, trainOptionsFrom, type TrainingFlags } from '../training-flags.js';

interface CvFlags extends TrainingFlags {
  folds: number;
  json?: boolean;
}

/** One fold's scores on its held-out part, as `cv --json` prints them. */
interface FoldReport {
  fold: number;
  rows: number;
  train_rows: number;
  auc: number;
  pr_auc: number;
  logloss: number;
  brier: number;
  f1: number;
  threshold: number;
}

/**
 * `churnkit cv --data <csv> --target <col> [--id <col>] [--model ...] --folds 5 [--seed S] [--json]`:
 * stratified k-fold cross-validation. Each fold trains exactly as `train` would
 * (its own preprocessing, validation part and threshold) on the other folds and
 * is scored on its own rows. Means and population standard deviations (ddof 0,
 * like numpy) are over folds.
 *
 * @example
 * churnkit cv --data customers.csv --target Churn --id CustomerID --folds 5 --json
 * // {"auc":0.962,"auc_std":0.006,"pr_auc":...,"logloss":...,"folds":[{"fold":1,"auc":0.958,"rows":1126,...},...]}
 */
export function registerCv(program: Command): void {
  addTrainingFlags(program.command('cv').description('stratified k-fold cross-validation of a model configuration'))
    .option('--folds <k>', 'number of folds (at least 2)', integerAtLeast(2), 5)
    .option('--json', 'print one JSON object instead of a table')
    .action(async (flags: CvFlags) => {
      const data = await readTrainingData(flags.data, flags.target, flags.id, flags.exclude);
      requireRowsPerFold(data.labels, flags.folds, { file: flags.data, column: flags.target });
      const folds = stratifiedFolds(data.labels, flags.folds, flags.seed);
      const engine = await loadEngine();
      const progress = startProgress('cv (folds)', folds.length);
      const reports: FoldReport[] = [];
      const options = { ...trainOptionsFrom(flags), engine, dataHash: data.dataHash };
      for await (const outcome of crossValidateFolds(data.table.records, data.labels, folds, options)) {
        reports.push(foldReport(outcome.fold + 1, outcome.trainRows, outcome.evaluation));
        progress.update(outcome.fold + 1);
      }
      progress.stop();
      const summary = {
        model: flags.model,
        folds_count: folds.length,
        rows: data.labels.length,
        seed: flags.seed,
        ...meanAndStd('auc', reports.map((report) => report.auc)),
        ...meanAndStd('pr_auc', reports.map((report) => report.pr_auc)),
        ...meanAndStd('logloss', reports.map((report) => report.logloss)),
        ...meanAndStd('f1', reports.map((report) => report.f1)),
        folds: reports,
      };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const table = formatTable(
        ['fold', 'rows', 'AUC', 'PR AUC', 'log loss', 'F1', 'threshold'],
        reports.map((report) => [report.fold, report.rows, report.auc, report.pr_auc, report.logloss, report.f1, report.threshold]),
      );
      process.stdout.write(
        `${folds.length}-fold cross-validation of ${flags.model} on ${flags.data} (${data.labels.length} rows, seed ${flags.seed})\n\n${table}\n\n` +
          `AUC ${summary.auc.toFixed(4)} ± ${summary.auc_std.toFixed(4)}, PR AUC ${summary.pr_auc.toFixed(4)} ± ${summary.pr_auc_std.toFixed(4)}, ` +
          `log loss ${summary.logloss.toFixed(4)} ± ${summary.logloss_std.toFixed(4)}\n`,
      );
    });
}

function foldReport(fold: number, trainRows: number, evaluation: Evaluation): FoldReport {
  const { rows, auc, pr_auc, logloss, brier, f1, threshold } = evaluation;
  return { fold, rows, train_rows: trainRows, auc, pr_auc, logloss, brier, f1, threshold };
}

function meanAndStd<Name extends string>(name: Name, values: readonly number[]): Record<Name | `${Name}_std`, number> {
  return { [name]: mean(values), [`${name}_std`]: populationStd(values) } as Record<Name | `${Name}_std`, number>;
}
