import type { Command } from 'commander';
import { storeEventLog } from '../../../plugin/challenger/churn-labels.js';
import { DEFAULT_CHURN_DEFINITION } from '../../../plugin/churn-definition.js';
import { compareChallenger, type ChallengerComparison, type ModelFigures } from '../../../plugin/challenger/compare-challenger.js';
import { InputError } from '../../errors.js';
import { formatTable } from '../format-table.js';
import { duration } from '../option-parsers.js';
import { addStoreFlags, openFlaggedStore, type StoreFlags } from '../open-store.js';

interface ChallengerOptions extends StoreFlags {
  horizon: string;
  gap: string;
  active: string;
  json?: boolean;
}

/**
 * `churnkit challenger --store <sqlite:./data | file | redis://...> [--horizon 90d] [--json]`:
 * the champion-and-challenger comparison of the plugin's store (what `GET /churn/challenger`
 * answers with the default churn definition), read offline: per pair of versions, AUC, log
 * loss and Brier of both models on the same customers, every customer the two scored whose
 * horizon has passed, labelled from the event log as `churnkit retrain` labels them.
 *
 * @example
 * churnkit challenger --store data/churnkit.sqlite
 * // champion test-v1 against challenger mlp-20261202T1800: 412 customers labelled (97 churned), 1310 within their horizon
 */
export function registerChallenger(program: Command): void {
  addStoreFlags(program.command('challenger').description("compare the challenger model with the serving one on the same customers, from the plugin's store"))
    .option('--horizon <duration>', 'churned = no --active event within this long after the score, as in "churnkit retrain"', duration, DEFAULT_CHURN_DEFINITION.horizon)
    .option('--gap <duration>', 'time after the score left out of the label window', duration, DEFAULT_CHURN_DEFINITION.gap)
    .option('--active <types>', 'comma-separated event types that count as activity', DEFAULT_CHURN_DEFINITION.active.join(','))
    .option('--json', 'print the comparison as JSON (as GET /churn/challenger gives it)')
    .action(async (options: ChallengerOptions) => {
      const store = await openFlaggedStore(options);
      try {
        if (store.challengerLog === undefined) {
          throw new InputError('STORE_NO_CHALLENGER_LOG', 'this store keeps no challenger scores', { file: options.store });
        }
        const definition = { horizon: options.horizon, gap: options.gap, active: options.active.split(',') };
        const report = await compareChallenger(store.challengerLog(), () => storeEventLog(store), definition);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        if (report.comparisons.length === 0) {
          process.stdout.write('no challenger scores logged yet: run the plugin with a challenger (option "challenger" or PUT /churn/challenger)\n');
          return;
        }
        const labels = report.labels;
        const window = `${labels.gap === '0d' || labels.gap === '0' ? '' : `from ${labels.gap} `}within ${labels.horizon} after the score`;
        process.stdout.write(`labels from the event log: churned = no ${labels.active.join(' or ')} ${window} (log complete up to ${labels.completeUntil?.slice(0, 10) ?? 'nothing yet'})\n\n`);
        process.stdout.write(`${report.comparisons.map(describe).join('\n\n')}\n`);
      } finally {
        await store.close();
      }
    });
}

function describe(comparison: ChallengerComparison): string {
  const row = (role: string, figures: ModelFigures) => [role, figures.version, figures.auc ?? '–', figures.logLoss ?? '–', figures.brier ?? '–'];
  const better = comparison.better;
  return [
    `champion ${comparison.champion.version} against challenger ${comparison.challenger.version}: ${comparison.customers} customers labelled (${comparison.churned} churned), ${comparison.awaitingOutcome} within their horizon, ${comparison.scoredRequests} requests scored by both`,
    formatTable(['model', 'version', 'ROC AUC', 'log loss', 'Brier'], [row('champion', comparison.champion), row('challenger', comparison.challenger)]),
    `better: AUC ${better.auc}, log loss ${better.logLoss}, Brier ${better.brier}`,
  ].join('\n');
}
