import type { Command } from 'commander';
import { requireColumns } from '../../data/require-columns.js';
import { DEFAULT_ECONOMICS, addEconomicsFlags } from '../economics-flags.js';
import { integer, positiveInteger } from '../option-parsers.js';
import { checkOutputs } from '../check-outputs.js';
import { repeatable } from '../repeated-options.js';
import { readUpliftResults } from '../read-uplift-results.js';
import { scoreLabelledFile } from '../score-labelled-file.js';
import { writeReport } from '../write-report.js';

interface ReportFlags {
  model: string;
  data: string;
  target?: string;
  out?: string;
  json?: boolean;
  segment?: string[];
  uplift?: string;
  actionCost: number;
  retainedValue: number;
  successRate: number;
  explainRows: number;
  seed: number;
}

/**
 * `churnkit report --model <model.json> --data <csv> --out report.html [--target <col>]
 * [--segment <col>]... [--action-cost X --retained-value Y --success-rate Z]
 * [--explain-rows N] [--seed S] [--uplift uplift.json] [--json]`: one self-contained
 * HTML page evaluating a model on a labelled file (ROC and PR curves, calibration, gain
 * and lift, profit against threshold, score histograms, feature importance,
 * tables by segment; with `--uplift`, the Qini and uplift-at-k curves of each action's
 * uplift models from `churnkit uplift --json`). `--json` prints every number behind it; its `metrics`
 * are exactly `churnkit eval --json`'s for the same file and economics.
 *
 * @example
 * churnkit report --model churn.json --data test.csv --segment PreferredLoginDevice --out report.html
 * // wrote report.html: 1126 customers, ROC AUC 0.9914, PR AUC 0.9604; importance from 1126 rows
 */
export function registerReport(program: Command): void {
  addEconomicsFlags(
    program
      .command('report')
      .description('write a self-contained HTML report evaluating a model on a labelled CSV file')
      .requiredOption('--model <file>', 'model file written by "churnkit train"')
      .requiredOption('--data <csv>', 'labelled CSV file the model was not trained on')
      .option('--target <column>', 'target column (default: the one stored in the model)')
      .option('--out <html>', 'where to write the report (written atomically)')
      .option('--json', 'print every number behind the report as one JSON object')
      .addOption(repeatable('--segment <column>', 'break the evaluation down by this column (repeatable)')),
    DEFAULT_ECONOMICS,
  )
    .option('--explain-rows <n>', 'explain at most this many rows (a seeded random sample) for feature importance', positiveInteger, 2000)
    .option('--seed <n>', 'seed of that sample', integer, 42)
    .option('--uplift <json>', 'what "churnkit uplift --json" printed: adds each action\'s Qini and uplift-at-k curves')
    .addHelpText('after', `\nProfit inputs default to an action cost of ${DEFAULT_ECONOMICS.actionCost}, a retained value of ${DEFAULT_ECONOMICS.retainedValue} and a success rate of ${DEFAULT_ECONOMICS.successRate}.`)
    .action(async function (this: Command, flags: ReportFlags) {
      if (flags.out === undefined && !flags.json) this.error('error: give --out <html> to write the report, --json to print its numbers, or both', { exitCode: 2 });
      if (flags.out !== undefined) checkOutputs([{ path: flags.out, kind: 'file', flag: '--out' }], [flags.model, flags.data, ...(flags.uplift !== undefined ? [flags.uplift] : [])]);
      // Read first: a bad uplift file fails before the slow part.
      const uplift = flags.uplift === undefined ? undefined : await readUpliftResults(flags.uplift);
      const scored = await scoreLabelledFile(flags.model, flags.data, flags.target === undefined ? {} : { target: flags.target });
      try {
        const segments = flags.segment ?? [];
        requireColumns(scored.table, segments, 'the --segment columns');
        const data = await writeReport(
          {
            model: scored.model,
            records: scored.table.records,
            labels: scored.labels,
            probabilities: scored.probabilities,
            economics: { actionCost: flags.actionCost, retainedValue: flags.retainedValue, successRate: flags.successRate },
            segments,
            source: { model: flags.model, data: flags.data, scoring: 'held-out' },
            ...(uplift ? { uplift } : {}),
            explainRows: flags.explainRows,
            seed: flags.seed,
          },
          flags.out,
        );
        if (flags.json) process.stdout.write(`${JSON.stringify(data)}\n`);
        if (flags.out !== undefined) {
          const line = `wrote ${flags.out}: ${data.metrics.rows} customers, ROC AUC ${data.metrics.auc.toFixed(4)}, PR AUC ${data.metrics.pr_auc.toFixed(4)}; importance from ${data.importance.rowsExplained} rows\n`;
          (flags.json ? process.stderr : process.stdout).write(line);
        }
      } finally {
        scored.model.dispose();
      }
    });
}
