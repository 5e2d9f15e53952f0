import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { evaluatePredictions, type Evaluation } from '../../metrics/evaluation.js';
import { loadEngine } from '../../node/index.js';
import { stratifiedFolds } from '../../train/stratified-folds.js';
import { train } from '../../train/train.js';
import { formatTable } from '../format-table.js';
import { integerAtLeast } from '../option-parsers.js';
import { startProgress } from '../progress.js';
import { readTrainingData } from '../read-training-data.js';
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
      const data = await readTrainingData(flags.data, flags.target, flags.id);
      requireRowsPerFold(data.labels, flags.folds, { file: flags.data, column: flags.target });
      const folds = stratifiedFolds(data.labels, flags.folds, flags.seed);
      const engine = await loadEngine();
      const progress = startProgress('cv (folds)', folds.length);
      const reports: FoldReport[] = [];
      for (const [index, fold] of folds.entries()) {
        const trainRows = fold.train.map((row) => data.table.records[row]!);
        const { model } = await train(trainRows, { ...trainOptionsFrom(flags), engine, dataHash: data.dataHash });
        try {
          const probabilities = model.predictBatch(fold.test.map((row) => data.table.records[row]!));
          const labels = Uint8Array.from(fold.test, (row) => data.labels[row]!);
          reports.push(foldReport(index + 1, fold.train.length, evaluatePredictions(labels, probabilities, model.threshold)));
        } finally {
          model.dispose();
        }
        progress.update(index + 1);
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

/** Every held-out fold needs both classes, or its AUC is undefined. */
function requireRowsPerFold(labels: Uint8Array, folds: number, where: { file: string; column: string }): void {
  const positives = labels.reduce((sum, label) => sum + label, 0);
  const rarest = Math.min(positives, labels.length - positives);
  if (rarest >= folds) return;
  const label = positives <= labels.length - positives ? '1 (churned)' : '0 (retained)';
  throw new InputError(
    'INPUT_TOO_FEW_ROWS',
    `only ${rarest} rows are labelled ${label}; ${folds}-fold cross-validation needs at least ${folds} of each class (one per fold)`,
    where,
  );
}

function foldReport(fold: number, trainRows: number, evaluation: Evaluation): FoldReport {
  const { rows, auc, pr_auc, logloss, brier, f1, threshold } = evaluation;
  return { fold, rows, train_rows: trainRows, auc, pr_auc, logloss, brier, f1, threshold };
}

function meanAndStd<Name extends string>(name: Name, values: readonly number[]): Record<Name | `${Name}_std`, number> {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { [name]: mean, [`${name}_std`]: Math.sqrt(variance) } as Record<Name | `${Name}_std`, number>;
}
