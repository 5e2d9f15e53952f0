import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ChurnModel } from '../../model/churn-model.js';
import { loadEngine } from '../../node/index.js';
import { DEFAULT_PROMOTE_TIMEOUT_MS, promoteToServer } from '../../retrain/promote-model.js';
import { DEFAULT_MIN_GAIN, retrainFromStore, type RetrainResult } from '../../retrain/retrain.node.js';
import type { RetrainSummary } from '../../retrain/retrain-summary.js';
import { addEconomicsFlags, DEFAULT_ECONOMICS, type EconomicsFlags } from '../economics-flags.js';
import { openModel } from '../open-model.js';
import { addStoreFlags, openFlaggedStore, type StoreFlags } from '../open-store.js';
import { duration, eventTime, integer, nonNegativeNumber, positiveInteger, positiveNumber } from '../option-parsers.js';
import { showStep, startProgress, type Progress } from '../progress.js';
import { checkOutputs } from '../check-outputs.js';
import { addNetworkFlags, networkOptionsFrom, type NetworkFlags } from '../training-flags.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';
import { writeReport } from '../write-report.js';

interface RetrainFlags extends NetworkFlags, Required<EconomicsFlags>, StoreFlags {
  champion: string;
  out: string;
  horizon: string;
  gap: string;
  active: string;
  cutoffs: number;
  step: string;
  until?: number;
  minGain: number;
  promoteTo?: string;
  promoteUrl?: string;
  adminToken?: string;
  promoteTimeout: number;
  explainRows: number;
  json?: boolean;
}

/** The files written into `--out`. */
const CHALLENGER_FILE = 'challenger.json';
const REPORT_FILE = 'report.html';
const CHAMPION_REPORT_FILE = 'champion-report.html';
const SUMMARY_FILE = 'retrain.json';

/**
 * `churnkit retrain --store <sqlite:./data | file | redis://...> --champion <model.json> --out <dir>
 * [--horizon 90d] [--cutoffs 3] [--step 30d] [train's flags] [--min-gain 0.005]
 * [--promote-to <file>] [--promote-url <url> --admin-token <token> --promote-timeout 60]`: rebuilds point-in-time
 * training rows and labels from the plugin store's event log at several cut-offs (the batch
 * pipeline's features and churn definition), trains a challenger, scores champion and
 * challenger on the latest cut-off whose horizon has fully elapsed (which no training row or
 * label reaches), writes the challenger, both reports and a JSON summary, and promotes the
 * challenger only when its ROC AUC beats the champion's by `--min-gain`. docs/lifecycle.md.
 *
 * @example
 * churnkit retrain --store sqlite:./data --champion models/storefront.json --out retrain/ --promote-to models/serving.json
 * // champion mlp-20261123T120504: ROC AUC 0.8723 · challenger mlp-20261202T…: ROC AUC 0.9278 (+0.0555 ≥ 0.005): promoted to models/serving.json
 */
export function registerRetrain(program: Command): void {
  const command = addStoreFlags(program.command('retrain').description("retrain from the plugin's store, compare with the serving model out of time, promote if better"))
    .requiredOption('--champion <model.json>', 'the serving model file, compared with the challenger')
    .requiredOption('--out <dir>', `where to write ${CHALLENGER_FILE}, ${REPORT_FILE}, ${CHAMPION_REPORT_FILE} and ${SUMMARY_FILE}`)
    .option('--horizon <duration>', 'churn horizon after each cut-off, as in "churnkit features"', duration, '90d')
    .option('--gap <duration>', 'time after each cut-off left out of the label window', duration, '0d')
    .option('--active <types>', 'comma-separated event types that count as activity', 'order')
    .option('--cutoffs <n>', 'training cut-offs, one --step apart, before the evaluation window', positiveInteger, 3)
    .option('--step <duration>', 'time between training cut-offs', duration, '30d')
    .option('--until <date>', 'the log is complete up to this time (default: the start of the UTC day of the latest event)', eventTime);
  addNetworkFlags(command, 'mlp')
    .option('--seed <n>', 'seed for initialisation, shuffling and splits', integer, 42)
    .option('--min-gain <auc>', 'ROC AUC the challenger must gain over the champion to be promoted', nonNegativeNumber, DEFAULT_MIN_GAIN)
    .option('--promote-to <file>', 'when the challenger wins, write it to this model file (atomically)')
    .option('--promote-url <url>', 'when the challenger wins, PUT it to this model route of a running server, e.g. http://host/churn/model', httpUrl)
    .option('--admin-token <token>', 'bearer token for --promote-url (default: CHURNKIT_ADMIN_TOKEN)')
    .option('--promote-timeout <seconds>', 'how long --promote-url may take to answer before the run fails', timeoutSeconds, DEFAULT_PROMOTE_TIMEOUT_MS / 1000)
    .option('--explain-rows <n>', 'rows explained for each report\'s feature importance', positiveInteger, 1000)
    .option('--json', 'print the summary as JSON on stdout');
  addEconomicsFlags(command, DEFAULT_ECONOMICS).action(async function (this: Command, flags: RetrainFlags) {
    const adminToken = flags.adminToken ?? process.env.CHURNKIT_ADMIN_TOKEN;
    if (flags.promoteUrl !== undefined && (adminToken === undefined || adminToken === '')) {
      this.error('error: --promote-url needs the admin token: give --admin-token or set CHURNKIT_ADMIN_TOKEN', { exitCode: 2 });
    }
    // Before minutes of training: where the results go must be writable.
    checkOutputs([{ path: flags.out, kind: 'folder', flag: '--out' }, ...(flags.promoteTo === undefined ? [] : [{ path: flags.promoteTo, kind: 'file' as const, flag: '--promote-to' }])]);
    const started = performance.now();
    const champion = await openModel(flags.champion);
    try {
      await retrainAndPromote(flags, champion, adminToken, started);
    } finally {
      champion.dispose();
    }
  });
}

/** Reads the store, retrains, writes the challenger, the reports and the summary, and promotes when the challenger wins. */
async function retrainAndPromote(flags: RetrainFlags, champion: ChurnModel, adminToken: string | undefined, started: number): Promise<void> {
  const store = await openFlaggedStore(flags);
  let result: RetrainResult;
  let epochs: Progress | undefined;
  let step: Progress = showStep(`reading the event log of ${flags.store}`);
  try {
    const economics = { actionCost: flags.actionCost, retainedValue: flags.retainedValue, successRate: flags.successRate };
    result = await retrainFromStore(store, {
      engine: await loadEngine(),
      champion,
      horizon: flags.horizon,
      gap: flags.gap,
      activeTypes: flags.active.split(','),
      trainingCutoffs: flags.cutoffs,
      step: flags.step,
      ...(flags.until !== undefined ? { untilMs: flags.until } : {}),
      training: networkOptionsFrom(flags),
      minGain: flags.minGain,
      economics,
      onStep: (label) => {
        step.stop();
        step = showStep(label);
      },
      onEpoch: ({ epoch, epochs: total }) => {
        step.stop();
        epochs ??= startProgress('retrain (epochs)', total);
        epochs.update(epoch);
      },
    });
  } finally {
    step.stop();
    epochs?.stop();
    await store.close();
  }
  try {
    await mkdir(flags.out, { recursive: true });
    const challengerFile = join(flags.out, CHALLENGER_FILE);
    await writeFileAtomically(challengerFile, `${JSON.stringify(result.challenger.file)}\n`);
    const data = `${flags.store}, cut-off ${isoDay(result.plan.evaluation.cutoffMs)}`;
    const reports = [
      { model: result.challenger.model, file: challengerFile, probabilities: result.challenger.probabilities, out: join(flags.out, REPORT_FILE) },
      { model: champion, file: flags.champion, probabilities: result.champion.probabilities, out: join(flags.out, CHAMPION_REPORT_FILE) },
    ];
    for (const report of reports) {
      await writeReport(
        {
          model: report.model,
          records: result.evaluation.records,
          labels: result.evaluation.labels,
          probabilities: report.probabilities,
          economics: { actionCost: flags.actionCost, retainedValue: flags.retainedValue, successRate: flags.successRate },
          source: { model: report.file, data, scoring: 'held-out' },
          explainRows: flags.explainRows,
          seed: flags.seed,
        },
        report.out,
      );
    }
    // The server first: it verifies the file and checks it fits its store. A challenger it
    // refuses must not be written where the next start loads it (that start would fail, or
    // serve a model the running server refused).
    if (result.promote && flags.promoteUrl !== undefined) {
      await promoteToServer(result.challenger.file, flags.promoteUrl, adminToken!, { timeoutMs: flags.promoteTimeout * 1000 });
    }
    if (result.promote && flags.promoteTo !== undefined) {
      await writeFileAtomically(flags.promoteTo, `${JSON.stringify(result.challenger.file)}\n`);
    }
    const promotedTo = result.promote ? [flags.promoteTo, flags.promoteUrl].filter((target) => target !== undefined) : [];
    const summary = summarize(flags, result, challengerFile, promotedTo, (performance.now() - started) / 1000);
    await writeFileAtomically(join(flags.out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`${describe(summary, flags)}\n`);
  } finally {
    result.challenger.model.dispose();
  }
}

function summarize(flags: RetrainFlags, result: RetrainResult, challengerFile: string, promotedTo: string[], seconds: number): RetrainSummary {
  const { evaluation } = result.plan;
  return {
    store: flags.store,
    events: result.events,
    customers: result.customers,
    churn: { horizon: flags.horizon, gap: flags.gap, active: [...evaluation.activeTypes] },
    until: new Date(result.plan.untilMs).toISOString(),
    training: result.training.map((rows) => ({ cutoff: new Date(rows.cutoffMs).toISOString(), rows: rows.rows, churnRate: rows.churnRate })),
    evaluation: {
      cutoff: new Date(evaluation.cutoffMs).toISOString(),
      labelWindow: [new Date(evaluation.labelStartMs).toISOString(), new Date(evaluation.labelEndMs).toISOString()],
      rows: result.evaluation.records.length,
      churnRate: result.challenger.metrics.positives / result.challenger.metrics.rows,
    },
    champion: { file: flags.champion, version: result.champion.version, metrics: result.champion.metrics },
    challenger: { file: challengerFile, version: result.challenger.version, metrics: result.challenger.metrics },
    gain: result.gain,
    minGain: result.minGain,
    decision: result.promote ? 'promote' : 'keep',
    promotedTo,
    seconds,
  };
}

function describe(summary: RetrainSummary, flags: RetrainFlags): string {
  const percent = (share: number) => `${(100 * share).toFixed(1)} %`;
  const training = summary.training.map((rows) => `${isoDay(Date.parse(rows.cutoff))} (${rows.rows} rows, churn ${percent(rows.churnRate)})`).join(', ');
  const gain = `${summary.gain >= 0 ? '+' : ''}${summary.gain.toFixed(4)}`;
  const verdict =
    summary.decision === 'keep'
      ? `kept the champion (gain ${gain} < --min-gain ${summary.minGain})`
      : summary.promotedTo.length > 0
        ? `promoted the challenger (gain ${gain} ≥ ${summary.minGain}) to ${summary.promotedTo.join(' and ')}`
        : `the challenger wins (gain ${gain} ≥ ${summary.minGain}); give --promote-to or --promote-url to promote it`;
  return [
    `read ${summary.events} events of ${summary.customers} customers from ${summary.store} (complete up to ${isoDay(Date.parse(summary.until))})`,
    `trained on the cut-offs ${training}`,
    `evaluated on the cut-off ${isoDay(Date.parse(summary.evaluation.cutoff))} (${summary.evaluation.rows} customers, churn ${percent(summary.evaluation.churnRate)}, labels up to ${isoDay(Date.parse(summary.evaluation.labelWindow[1]))})`,
    `champion ${summary.champion.version}: ROC AUC ${summary.champion.metrics.auc.toFixed(4)}, PR AUC ${summary.champion.metrics.pr_auc.toFixed(4)}`,
    `challenger ${summary.challenger.version}: ROC AUC ${summary.challenger.metrics.auc.toFixed(4)}, PR AUC ${summary.challenger.metrics.pr_auc.toFixed(4)}`,
    verdict,
    `wrote ${[CHALLENGER_FILE, REPORT_FILE, CHAMPION_REPORT_FILE, SUMMARY_FILE].map((name) => join(flags.out, name)).join(', ')} in ${summary.seconds.toFixed(1)} s`,
  ].join('\n');
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL such as http://127.0.0.1:3000/churn/model, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`expected an http(s) URL, got "${text}"`);
  return text;
}

/** The longest timer Node keeps is 2^31 - 1 ms; a longer one would fire at once. */
function timeoutSeconds(text: string): number {
  const seconds = positiveNumber(text);
  if (seconds * 1000 > 2 ** 31 - 1) throw new InvalidArgumentError(`expected at most 2147483 seconds (about 24 days), got "${text}"`);
  return seconds;
}
