import type { Command } from 'commander';
import { compareChallenger, type ChallengerComparison, type ModelFigures } from '../../../plugin/challenger/compare-challenger.js';
import { InputError } from '../../errors.js';
import { formatTable } from '../format-table.js';
import { openStoreLocation } from '../open-store.js';

interface ChallengerOptions {
  store: string;
  json?: boolean;
}

/**
 * `churnkit challenger --store <file.sqlite | redis://...> [--json]`: the champion-and-challenger
 * comparison of the plugin's store (what `GET /churn/challenger` answers), read offline: per
 * pair of versions, AUC, log loss and Brier of both models on the same customers, those the
 * two scored whose outcome has arrived.
 *
 * @example
 * churnkit challenger --store data/churnkit.sqlite
 * // champion test-v1 against challenger mlp-20261202T1800: 412 customers with an outcome (97 churned), 1310 awaiting one
 */
export function registerChallenger(program: Command): void {
  program
    .command('challenger')
    .description("compare the challenger model with the serving one on the same customers, from the plugin's store")
    .requiredOption('--store <file|url>', 'the plugin store: a SQLite file, or a redis:// URL')
    .option('--json', 'print the comparison as JSON (as GET /churn/challenger gives it)')
    .action(async (options: ChallengerOptions) => {
      const store = await openStoreLocation(options.store);
      try {
        if (store.challengerLog === undefined) {
          throw new InputError('STORE_NO_CHALLENGER_LOG', 'this store keeps no challenger scores', { file: options.store });
        }
        const report = await compareChallenger(store.challengerLog());
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        if (report.comparisons.length === 0) {
          process.stdout.write('no challenger scores logged yet: run the plugin with a challenger (option "challenger" or PUT /churn/challenger)\n');
          return;
        }
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
    `champion ${comparison.champion.version} against challenger ${comparison.challenger.version}: ${comparison.customers} customers with an outcome (${comparison.churned} churned), ${comparison.awaitingOutcome} awaiting one, ${comparison.scoredRequests} requests scored by both`,
    formatTable(['model', 'version', 'ROC AUC', 'log loss', 'Brier'], [row('champion', comparison.champion), row('challenger', comparison.challenger)]),
    `better: AUC ${better.auc}, log loss ${better.logLoss}, Brier ${better.brier}`,
  ].join('\n');
}
