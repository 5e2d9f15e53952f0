import type { Command } from 'commander';
import type { CalibrationBin } from '../../metrics/calibration.js';
import type { Evaluation } from '../../metrics/evaluation.js';
import { summarizeEvaluation } from '../../metrics/evaluation-summary.js';
import type { RetentionEconomics, ThresholdChoice } from '../../metrics/threshold-choice.js';
import { formatNumber, formatTable } from '../format-table.js';
import { addEconomicsFlags } from '../economics-flags.js';
import { scoreLabelledFile } from '../score-labelled-file.js';

interface EvalOptions {
  model: string;
  data: string;
  target?: string;
  json?: boolean;
  actionCost?: number;
  retainedValue?: number;
  successRate?: number;
}

/**
 * `churnkit eval --model <model.json> --data <csv> [--target <col>] [--json]
 * [--action-cost X --retained-value Y --success-rate Z]`:
 * scores a labelled CSV file and reports ROC AUC, PR AUC, log loss, Brier, the
 * confusion matrix at the model's threshold and a calibration table. The target
 * column defaults to the one the model was trained on. Given the economics of a
 * retention action, it also reports the threshold with the highest expected
 * profit on this file (see `thresholdByProfit` for the formula); in JSON its
 * `profit.threshold` is null when no threshold makes money (contact nobody).
 *
 * @example
 * churnkit eval --model churn.json --data test.csv --json
 * // {"auc":0.91,"pr_auc":0.72,"logloss":0.27,...,"confusion":{"tp":120,"fp":40,"tn":897,"fn":69},"rows":1126}
 */
export function registerEval(program: Command): void {
  addEconomicsFlags(program.command('eval'))
    .description('evaluate a model on a labelled CSV file')
    .requiredOption('--model <file>', 'model file written by "churnkit train"')
    .requiredOption('--data <csv>', 'CSV file with the model\'s feature columns and the target column')
    .option('--target <column>', 'target column (default: the one stored in the model)')
    .option('--json', 'print one JSON object instead of a table')
    .addHelpText('after', '\nGive --action-cost, --retained-value and --success-rate together to get the most profitable threshold.')
    .action(async function (this: Command, options: EvalOptions) {
      const economics = retentionEconomics(this, options);
      const { model, labels, probabilities } = await scoreLabelledFile(options.model, options.data, options.target === undefined ? {} : { target: options.target });
      model.dispose();
      const summary = summarizeEvaluation(labels, probabilities, model.threshold, economics);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(`${describeEvaluation(options.data, summary, summary.calibration)}\n`);
        if (summary.profit) process.stdout.write(`\n${describeProfit(summary.profit)}\n`);
      }
    });
}

/** The three economics flags come together or not at all. */
function retentionEconomics(command: Command, options: EvalOptions): RetentionEconomics | undefined {
  const { actionCost, retainedValue, successRate } = options;
  if (actionCost === undefined && retainedValue === undefined && successRate === undefined) return undefined;
  if (actionCost === undefined || retainedValue === undefined || successRate === undefined) {
    command.error('error: --action-cost, --retained-value and --success-rate must be given together', { exitCode: 2 });
  }
  return { actionCost, retainedValue, successRate };
}

function describeProfit(choice: ThresholdChoice & RetentionEconomics): string {
  const per = `action cost ${formatNumber(choice.actionCost)}, retained value ${formatNumber(choice.retainedValue)}, success rate ${formatNumber(choice.successRate)}`;
  if (choice.flagged === 0) return `Profit (${per}): no threshold makes money on this file; contact nobody.`;
  return `Profit (${per}): best threshold ${formatNumber(choice.threshold)}, expected profit ${formatNumber(choice.profit!)} contacting ${choice.flagged} customers.`;
}

function describeEvaluation(file: string, evaluation: Evaluation, calibration: readonly CalibrationBin[]): string {
  const { confusion } = evaluation;
  const headline = formatTable(['metric', 'value'], [
    ['rows', evaluation.rows],
    ['churn rate', evaluation.positives / evaluation.rows],
    ['ROC AUC', evaluation.auc],
    ['PR AUC', evaluation.pr_auc],
    ['log loss', evaluation.logloss],
    ['Brier', evaluation.brier],
    ['threshold', evaluation.threshold],
    ['accuracy', evaluation.accuracy],
    ['precision', evaluation.precision],
    ['recall', evaluation.recall],
    ['F1', evaluation.f1],
  ]);
  const matrix = formatTable(['', 'predicted churn', 'predicted stay'], [
    ['churned', confusion.tp, confusion.fn],
    ['stayed', confusion.fp, confusion.tn],
  ]);
  const reliability = formatTable(
    ['predicted', 'rows', 'mean predicted', 'observed rate'],
    calibration.filter((bin) => bin.count > 0).map((bin) => [`${bin.lower.toFixed(1)}-${bin.upper.toFixed(1)}`, bin.count, bin.meanPredicted, bin.observedRate]),
  );
  return `Evaluation of ${file}\n\n${headline}\n\nConfusion matrix at threshold ${evaluation.threshold.toFixed(4)}\n${matrix}\n\nCalibration\n${reliability}`;
}
