import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { RETENTION_ACTIONS } from '../../generate/response-types.js';
import { RetentionWorld, type DecisionTruth } from '../../generate/retention-world.js';
import { InputError, OptionsError } from '../../errors.js';
import { loadEngine } from '../../node/index.js';
import { shippedStorefrontModel } from '../../node/package-root.js';
import { loadServingModel } from '../../../plugin/load-model.js';
import { DEFAULT_MAX_MISSING_SHARE, percent, unfedInputs } from '../../../plugin/model-fit.js';
import type { ServingModel } from '../../../plugin/serving-model.js';
import { nodeModelLoader } from '../../../plugin/node-model-loader.node.js';
import { UPLIFT_METHODS, type UpliftMethod } from '../../uplift/uplift-role.js';
import { loadUpliftModels } from '../../../plugin/policy/load-uplift-models.node.js';
import { oraclePolicy, riskPolicy, upliftPolicy, type CampaignPolicyOptions } from '../../../plugin/simulation/campaign-policies.js';
import { runCampaign, type CampaignPolicy, type CampaignResult } from '../../../plugin/simulation/run-campaign.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { toCsvLine } from '../csv-line.js';
import { formatTable } from '../format-table.js';
import { integer, integerAtLeast, positiveInteger, nonNegativeNumber, shareBetweenZeroAndOne } from '../option-parsers.js';
import { startProgress, type Progress } from '../progress.js';
import { checkOutputs } from '../check-outputs.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';
import { trackTemporary } from '../../node/pending-temporaries.js';

const POLICIES = ['risk', 'uplift', 'oracle', 'foresight'] as const;
type PolicyName = (typeof POLICIES)[number];

interface SimulateOptions {
  store: string;
  truth?: string;
  customers: number;
  warmupDays: number;
  days: number;
  horizon: number;
  seed: number;
  start: string;
  model?: string;
  policy: PolicyName;
  compare: PolicyName[];
  upliftModels?: string[];
  method?: UpliftMethod;
  minDecisions?: number;
  budget: number;
  holdout: number;
  exploration: number;
  events: boolean;
  json?: boolean;
}

/**
 * `churnkit simulate --store <file.sqlite> [--truth <csv>] [--policy risk|uplift|oracle|foresight] ...`:
 * runs a retention campaign on the synthetic storefront with the plugin's real policy code
 * and writes a complete plugin store (events, decisions with their features, outcomes when
 * due) to a new SQLite file; the simulator's answer key for every customer considered goes
 * to `--truth`, apart from the store. `--compare` runs other policies over the same
 * customers (in temporary stores) and prints what each retained, on the ground truth.
 * Deterministic for a seed. docs/uplift.md explains the simulated world.
 *
 * @example
 * churnkit simulate --store sim.sqlite --truth sim-truth.csv --customers 20000 --days 28 --seed 1 --exploration 0.05 --compare oracle
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a retention campaign with the real policy on the simulated store; write the store and its ground truth')
    .requiredOption('--store <file>', 'new SQLite store file to write (events, decisions, outcomes)')
    .option('--truth <csv>', 'also write the answer key of every customer considered (response type per action)')
    .option('--customers <n>', 'customers in the simulated store', positiveInteger, 20_000)
    .option('--warmup-days <n>', 'days of history before the first decision', integerAtLeast(1), 150)
    .option('--days <n>', 'campaign days (decisions); outcomes follow --horizon days later', positiveInteger, 28)
    .option('--horizon <n>', 'days after a decision within which a customer counts as retained (the churn label\'s horizon)', positiveInteger, 90)
    .option('--seed <n>', 'random seed: the same seed gives the same customers and decisions', integer, 1)
    .option('--start <date>', 'first simulated day (YYYY-MM-DD, UTC)', '2025-01-01')
    .option('--model <file>', "churn model the policy scores with (default: the storefront model shipped with churnkit, its models/storefront.json)")
    .addOption(new Option('--policy <name>', 'how actions are valued: risk (expected value), uplift (learned models), oracle, foresight').choices(POLICIES).default('risk'))
    .addOption(new Option('--compare <names...>', 'also run these policies over the same customers and compare').choices(POLICIES).default([]))
    .option('--uplift-models <paths...>', 'uplift model files or folders (one method\'s, under churnkit uplift --out) for --policy uplift')
    .addOption(new Option('--method <method>', 'which method, when the uplift folder holds several').choices(UPLIFT_METHODS))
    .option('--min-decisions <n>', 'decisions an uplift model must have learned from to be trusted (policy.uplift.minDecisions)', positiveInteger)
    .option('--budget <amount>', 'daily budget of actions', nonNegativeNumber, 400)
    .option('--holdout <share>', 'hold-out fraction', shareBetweenZeroAndOne, 0.2)
    .option('--exploration <share>', 'share of customer-days given a random allowed action (ε) by the risk and uplift policies; oracles never explore', shareBetweenZeroAndOne, 0)
    .option('--no-events', 'leave the events out of the store (faster; decisions and outcomes only)')
    .option('--json', 'print one JSON object instead of a table')
    .action(async (options: SimulateOptions) => {
      if (existsSync(options.store)) {
        throw new InputError('SIMULATE_STORE_EXISTS', 'the store file already exists; expected a new file, so no earlier decisions mix with the simulated ones', { file: options.store });
      }
      // The store's folder is created with it; only the answer key must find its folder.
      if (options.truth !== undefined) checkOutputs([{ path: options.truth, kind: 'file', flag: '--truth' }], [options.store, ...(options.model !== undefined ? [options.model] : []), ...(options.upliftModels ?? [])]);
      const wanted = [options.policy, ...options.compare.filter((name) => name !== options.policy)];
      if (wanted.includes('uplift') && options.upliftModels === undefined) {
        throw new InputError('SIMULATE_NO_UPLIFT_MODELS', 'the uplift policy needs --uplift-models (files written by churnkit uplift)');
      }
      const engine = await loadEngine();
      const modelFile = options.model ?? shippedStorefrontModel();
      const model = await loadServingModel(modelFile, nodeModelLoader(engine));
      requireModelFitsStore(model, modelFile);
      const upliftModels = options.upliftModels && (await loadUpliftModels(options.upliftModels, { engine, ...(options.method ? { method: options.method } : {}) }));
      const shared: CampaignPolicyOptions = { dailyBudget: options.budget, holdoutFraction: options.holdout, exploration: options.exploration };
      const started = performance.now();
      const totalDays = options.warmupDays + options.days + options.horizon;
      // Before any store is opened: a bad --start must not leave one behind.
      const world = new RetentionWorld({ customers: options.customers, days: totalDays, seed: options.seed, startDate: options.start, horizonDays: options.horizon });
      // Imported here, not with the CLI: only this command and SQLite stores need better-sqlite3.
      const { openSqliteStore } = await import('../../../plugin/store/sqlite-store.js');
      // Built under a name of its own and renamed to --store once complete: a run that fails or
      // is stopped leaves no half-simulated store, which a rerun would refuse as existing.
      const building = `${basename(options.store)}.tmp-${process.pid}`;
      const buildingPath = join(dirname(options.store), building);
      const scratch = mkdtempSync(join(tmpdir(), 'churnkit-simulate-'));
      const temporaries = [buildingPath, `${buildingPath}-wal`, `${buildingPath}-shm`, scratch];
      const settled = temporaries.map(trackTemporary);
      const stores: ChurnStore[] = [];
      const truthLines: string[] = [toCsvLine(truthHeader())];
      let results: CampaignResult[];
      try {
        let progress: Progress | undefined;
        try {
          const policies: CampaignPolicy[] = wanted.map((name, index) => {
            const store =
              index === 0
                ? openSqliteStore({ dataDir: dirname(options.store), fileName: building, durability: 'normal' })
                : openSqliteStore({ dataDir: scratch, fileName: `${name}.sqlite`, durability: 'normal' });
            stores.push(store);
            if (name === 'risk') return { name, settings: riskPolicy(shared), store };
            if (name === 'uplift') return { name, settings: upliftPolicy(upliftModels!, { ...shared, ...(options.minDecisions ? { minDecisions: options.minDecisions } : {}) }), store };
            const { settings, oracle } = oraclePolicy(name === 'oracle' ? 'expected' : 'foresight', shared);
            return { name, settings, store, consider: oracle.consider };
          });
          progress = startProgress('simulating days', totalDays);
          results = await runCampaign({
            world,
            warmupDays: options.warmupDays,
            campaignDays: options.days,
            model,
            policies,
            ...(options.events ? { eventStore: stores[0]! } : {}),
            ...(options.truth !== undefined ? { onTruth: (row) => truthLines.push(toCsvLine(truthRow(row.customerId, row.ts, row.truth))) } : {}),
            onDay: (done) => progress!.update(done),
          });
        } finally {
          progress?.stop();
          // Every store opened, whatever failed: an open one's writer thread would keep the process alive.
          for (const store of stores) await store.close();
        }
        if (options.truth !== undefined) await writeFileAtomically(options.truth, `${truthLines.join('\n')}\n`);
        renameSync(buildingPath, options.store);
      } finally {
        for (const path of temporaries) rmSync(path, { recursive: true, force: true });
        for (const settle of settled) settle();
      }
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`simulated ${options.customers} customers over ${totalDays} days in ${seconds.toFixed(1)} s → ${options.store}${options.truth ? `, ${options.truth}` : ''}\n`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ seed: options.seed, customers: options.customers, campaignDays: options.days, horizonDays: options.horizon, dailyBudget: options.budget, holdoutFraction: options.holdout, exploration: options.exploration, policies: results })}\n`);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['policy', 'decisions', 'treated', 'held out', 'explored', 'spent', 'persuadable', 'sure thing', 'lost cause', 'sleeping dog', 'extra retained'],
          results.map((result) => [
            result.name,
            result.decisions,
            result.treated,
            result.heldOut,
            result.explored,
            Math.round(result.spent),
            result.treatedTypes.persuadable,
            result.treatedTypes.sure_thing,
            result.treatedTypes.lost_cause,
            result.treatedTypes.sleeping_dog,
            result.extraRetained,
          ]),
        )}\n(response types of the treated customers; extra retained = persuadables treated − sleeping dogs treated, against no action)\n`,
      );
    });
}

/**
 * The plugin's start-up check (plugin/model-fit.ts) against the simulated store, which supplies
 * its features and nothing per request: a model trained on another table would score every
 * customer with its inputs missing, at one probability, and the campaign would still "run".
 */
function requireModelFitsStore(model: ServingModel, file: string): void {
  const unfed = unfedInputs(model, { requestFeatures: new Set(), maxMissingShare: DEFAULT_MAX_MISSING_SHARE });
  if (unfed === null) return;
  throw new OptionsError(
    'MODEL_DOES_NOT_FIT',
    `${file}: the model does not fit the simulated store: ${unfed.count} of its ${unfed.of} inputs (${percent(unfed.share)}) are not features the store produces, ` +
      `and at most ${percent(DEFAULT_MAX_MISSING_SHARE)} may be: ${unfed.names}. Train it on the store's features (churnkit features), or leave out --model to score with the storefront model shipped with churnkit`,
  );
}

function truthHeader(): string[] {
  return [
    'customer_id',
    'considered_at',
    'segment',
    'would_leave',
    'leave_probability',
    ...RETENTION_ACTIONS.flatMap((action) => [`${action}_type`, `${action}_expected_uplift`]),
  ];
}

function truthRow(customerId: string, ts: number, truth: DecisionTruth): (string | number)[] {
  return [
    customerId,
    new Date(Math.floor(ts / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    truth.behaviour.segment,
    truth.wouldLeave ? 1 : 0,
    round(truth.leaveProbability),
    ...RETENTION_ACTIONS.flatMap((action) => [truth.actions[action].type, round(truth.actions[action].expectedUplift)]),
  ];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
