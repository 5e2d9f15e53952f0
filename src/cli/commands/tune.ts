import type { Command } from 'commander';
import { loadEngine } from '../../node/index.js';
import { requireRowsPerFold } from '../../train/require-rows-per-fold.js';
import { train } from '../../train/train.js';
import { tune, type TrialResult, type TuneResult } from '../../tune/tune.js';
import { DEFAULT_ECONOMICS } from '../economics-flags.js';
import { formatTable } from '../format-table.js';
import { integer, integerAtLeast, positiveInteger, positiveNumber } from '../option-parsers.js';
import { startProgress } from '../progress.js';
import { readTrainingData } from '../read-training-data.js';
import { describeWords, readFeatureWords } from '../feature-words-file.js';
import { addDataFlags, addDisplayFlag, type DataFlags } from '../training-flags.js';
import { checkOutputs } from '../check-outputs.js';
import { renderReportHtml } from '../../report/html/render-report-html.js';
import { writeFilesTogether } from '../../node/write-file-atomically.js';
import { writeReport } from '../write-report.js';

interface TuneFlags extends DataFlags {
  out: string;
  report?: string;
  trials: number;
  folds: number;
  seed: number;
  timeLimit?: number;
  json?: boolean;
  display?: string;
}

/** Rows explained for the tuned model's report. */
const REPORT_EXPLAIN_ROWS = 2000;

/**
 * `churnkit tune --data <csv> --target <col> [--id <col>] --out <model.json>
 * [--trials 20] [--folds 5] [--seed 42] [--time-limit <seconds>] [--report <html>] [--json]`:
 * random search over the trainer's settings with stratified k-fold
 * cross-validation (trial 1 is always the defaults), a table of every
 * configuration's mean ± sd, the choice (the defaults unless beaten by more
 * than one standard error of the paired fold differences), and the chosen
 * configuration refitted on all rows, with its report built from the
 * out-of-fold scores.
 *
 * @example
 * churnkit tune --data train.csv --target Churn --id CustomerID --trials 20 --folds 5 --seed 7 --out tuned.json
 * // ...table...
 * // chose trial 12: +0.0126 AUC over the defaults, 2.1 standard errors of the paired fold differences
 * // refitted on 4504 rows: wrote tuned.json and tuned.report.html
 */
export function registerTune(program: Command): void {
  addDisplayFlag(addDataFlags(program.command('tune').description('search the trainer\'s settings by cross-validation and write the best model')))
    .requiredOption('--out <file>', 'where to write the tuned model, refitted on all rows (written atomically)')
    .option('--report <html>', 'where to write its report (default: the model file\'s name with .report.html)')
    .option('--trials <n>', 'configurations to try, the defaults included', positiveInteger, 20)
    .option('--folds <k>', 'cross-validation folds (at least 2)', integerAtLeast(2), 5)
    .option('--seed <n>', 'seed for the draws, the folds and training', integer, 42)
    .option('--time-limit <seconds>', 'start no new fold after this many seconds (the defaults always finish)', positiveNumber)
    .option('--json', 'print the results as one JSON object instead of a table')
    .addHelpText('after', '\nThe search is deterministic for a seed unless --time-limit cuts it short.')
    .action(async (flags: TuneFlags) => {
      const reportFile = flags.report ?? `${flags.out.replace(/\.json$/i, '')}.report.html`;
      checkOutputs(
        [
          { path: flags.out, kind: 'file', flag: '--out' },
          { path: reportFile, kind: 'file', flag: flags.report !== undefined ? '--report' : 'the report beside --out' },
        ],
        [flags.data, ...(flags.display !== undefined ? [flags.display] : [])],
      );
      const data = await readTrainingData(flags.data, flags.target, flags.id, flags.exclude);
      const words = await readFeatureWords(flags.data, flags.display, data.table.columns);
      requireRowsPerFold(data.labels, flags.folds, { file: flags.data, column: flags.target });
      const engine = await loadEngine();
      const common = { engine, target: flags.target, seed: flags.seed, dataHash: data.dataHash, ...(flags.id !== undefined ? { id: flags.id } : {}) };
      let progress: ReturnType<typeof startProgress> | undefined;
      let planned = flags.trials;
      const result = await tune(data.table.records, {
        ...common,
        trials: flags.trials,
        folds: flags.folds,
        ...(flags.timeLimit !== undefined ? { timeLimitSeconds: flags.timeLimit } : {}),
        onFold: ({ foldsDone, foldsTotal, trials }) => {
          planned = trials;
          progress ??= startProgress('tune (folds)', foldsTotal);
          progress.update(foldsDone);
        },
        // A bar is useless in a log file: there, each finished configuration gets a line instead.
        onTrial: (trial) => {
          if (!process.stderr.isTTY) process.stderr.write(`tune: trial ${trial.trial}/${planned} ${describeSettings(trial)}: AUC ${trial.auc.toFixed(4)} ± ${trial.aucStd.toFixed(4)} (${trial.seconds.toFixed(1)} s)\n`);
        },
      });
      progress?.stop();

      const { model, file } = await train(data.table.records, { ...common, ...result.chosen.settings, display: words.words });
      try {
        // The report is built before either file is written: a failure while building it leaves neither.
        const report = await writeReport(
          {
            model,
            records: data.table.records,
            labels: data.labels,
            probabilities: result.chosen.outOfFold,
            economics: DEFAULT_ECONOMICS,
            source: { model: flags.out, data: flags.data, scoring: 'out-of-fold' },
            explainRows: REPORT_EXPLAIN_ROWS,
            seed: flags.seed,
          },
          undefined,
        );
        await writeFilesTogether([
          [flags.out, `${JSON.stringify(file)}\n`],
          [reportFile, renderReportHtml(report)],
        ]);
      } finally {
        model.dispose();
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(resultsJson(result, flags.out, reportFile))}\n`);
        return;
      }
      process.stdout.write(
        `${describeResults(result, flags)}\nrefitted trial ${result.chosen.trial} on ${result.rows} rows: wrote ${flags.out} and ${reportFile}\n${describeWords(file, words.files)}\n`,
      );
    });
}

function describeSettings(trial: TrialResult): string {
  const settings = trial.resolved;
  const shape = settings.model === 'mlp' ? `mlp ${settings.hidden.join(',')}` : 'logreg';
  return `${shape} lr ${settings.learningRate} ${settings.schedule} l2 ${settings.l2} epochs ${settings.epochs}/${settings.patience} batch ${settings.batchSize} weights ${String(settings.classWeight)} watch ${settings.monitor}`;
}

function describeResults(result: TuneResult, flags: TuneFlags): string {
  const ranked = [...result.trials].sort((a, b) => b.auc - a.auc || a.trial - b.trial);
  const plusMinus = (mean: number, sd: number) => `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
  const table = formatTable(
    ['', 'trial', 'model', 'lr', 'schedule', 'l2', 'epochs', 'batch', 'weights', 'watch', 'AUC (mean ± sd)', 'PR AUC', 'log loss', 'seconds'],
    ranked.map((trial) => {
      const settings = trial.resolved;
      return [
        trial === result.chosen ? '*' : '',
        `${trial.trial}${trial.isDefault ? ' (defaults)' : ''}`,
        settings.model === 'mlp' ? `mlp ${settings.hidden.join(',')}` : 'logreg',
        String(settings.learningRate),
        settings.schedule,
        String(settings.l2),
        `${settings.epochs}/${settings.patience}`,
        String(settings.batchSize),
        String(settings.classWeight),
        settings.monitor,
        plusMinus(trial.auc, trial.aucStd),
        plusMinus(trial.prAuc, trial.prAucStd),
        plusMinus(trial.logloss, trial.loglossStd),
        trial.seconds.toFixed(1),
      ];
    }),
  );
  const heading = `${result.folds}-fold cross-validation of ${result.trials.length} configurations on ${flags.data} (${result.rows} rows, seed ${result.seed}) in ${result.seconds.toFixed(1)} s`;
  const cut = result.notRun > 0 ? `\n--time-limit stopped the search: ${result.notRun} planned configuration${result.notRun === 1 ? '' : 's'} not run` : '';
  return `${heading}${cut}\n\n${table}\n\n${describeChoice(result)}`;
}

function describeChoice(result: TuneResult): string {
  const { selection, best } = result;
  if (best.isDefault) return 'kept the defaults (trial 1): no configuration scored a higher mean AUC';
  const errors = selection.standardError > 0 ? `${(selection.meanGain / selection.standardError).toFixed(1)} standard errors` : 'every fold agreeing';
  if (selection.keptDefault) {
    return `kept the defaults (trial 1): trial ${best.trial} scored ${selection.meanGain >= 0 ? '+' : ''}${selection.meanGain.toFixed(4)} AUC higher, within the noise (standard error of the paired fold differences ${selection.standardError.toFixed(4)})`;
  }
  return `chose trial ${best.trial}: +${selection.meanGain.toFixed(4)} AUC over the defaults, ${errors} of the paired fold differences`;
}

function resultsJson(result: TuneResult, model: string, report: string): Record<string, unknown> {
  return {
    rows: result.rows,
    folds: result.folds,
    seed: result.seed,
    seconds: result.seconds,
    not_run: result.notRun,
    chosen: result.chosen.trial,
    best: result.best.trial,
    selection: { mean_gain: result.selection.meanGain, standard_error: result.selection.standardError, kept_default: result.selection.keptDefault },
    trials: result.trials.map((trial) => ({
      trial: trial.trial,
      default: trial.isDefault,
      settings: trial.resolved,
      auc: trial.auc,
      auc_std: trial.aucStd,
      pr_auc: trial.prAuc,
      pr_auc_std: trial.prAucStd,
      logloss: trial.logloss,
      logloss_std: trial.loglossStd,
      fold_auc: trial.foldAuc,
      seconds: trial.seconds,
    })),
    model,
    report,
  };
}
