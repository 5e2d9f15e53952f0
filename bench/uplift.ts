/**
 * `npm run bench:uplift` — does learning which action works for whom pay, on a simulated
 * store whose customers' response types are known (docs/uplift.md)? For several seeds
 * (bench/uplift-experiment.ts): log decisions with today's risk policy, train uplift models
 * on them, then compare, at the same daily budget on a fresh store, the extra customers
 * retained against no action by today's risk-ranked expected-value policy, the uplift policy
 * and the oracle. Measures the issue's targets and the learning curve, writes
 * bench/results/uplift.json and regenerates bench/RESULTS.md.
 *
 *   npm run build && npm run bench:uplift [-- --seeds 1,2,3] [-- --quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngine } from '../src/node/index.js';
import { RETENTION_ACTIONS, type ResponseType } from '../src/generate/response-types.js';
import { UPLIFT_METHODS, type UpliftMethod } from '../src/uplift/uplift-role.js';
import { DEFAULT_MIN_DECISIONS } from '../plugin/policy/learning-options.js';
import { loadServingModel } from '../plugin/load-model.js';
import { nodeModelLoader } from '../plugin/node-model-loader.node.js';
import { SIMULATED_ACTIONS } from '../plugin/simulation/simulated-store-policy.js';
import { writeReport } from './report.js';
import { repoRoot } from './repo-root.js';
import { machineInfo, writeResults, type Cell, type ResultsTable, type TargetResult } from './results-file.js';
import { policyName, runExperiment, type ExperimentResult, type ExperimentSettings } from './uplift-experiment.js';

const FULL: ExperimentSettings = {
  warmupDays: 150,
  horizonDays: 90,
  holdoutFraction: 0.2,
  logging: { customers: 60_000, days: 84, dailyBudget: 1200, exploration: 0.05 },
  evaluation: { customers: 20_000, days: 28, dailyBudget: 400 },
  curve: [1000, 2000, 4000, 8000],
  l2: 0.01,
  testShare: 0.3,
  bootstrap: 200,
};

/** A smoke run: the same pipeline on small stores (figures not meaningful). */
const QUICK: ExperimentSettings = {
  ...FULL,
  warmupDays: 100,
  horizonDays: 30,
  logging: { customers: 4000, days: 28, dailyBudget: 400, exploration: 0.05 },
  evaluation: { customers: 3000, days: 10, dailyBudget: 150 },
  curve: [500],
  bootstrap: 50,
};

const BARS = { overRisk: 1.5, ofOracle: 0.7, qiniOfOracle: 0.7 };

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1,2,3' }, quick: { type: 'boolean', default: false } } });
const seeds = values.seeds!.split(',').map((seed) => Number(seed.trim()));
const settings = values.quick ? QUICK : FULL;
const log = (line: string) => process.stderr.write(`${line}\n`);

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const engine = await loadEngine();
const model = await loadServingModel(join(repoRoot(), 'models', 'storefront.json'), nodeModelLoader(engine));
const experiments: ExperimentResult[] = [];
for (const seed of seeds) {
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-bench-uplift-'));
  try {
    log(`seed ${seed}`);
    experiments.push(await runExperiment(seed, settings, { engine, model, folder, log }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
const minutes = (performance.now() - started) / 60_000;

const extra = (experiment: ExperimentResult, name: string) => experiment.evaluation[name]?.extraRetained ?? Number.NaN;
const perSeed = (measure: (experiment: ExperimentResult) => number) => experiments.map(measure);
const mean = (numbers: readonly number[]) => numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
const spread = (numbers: readonly number[]) => `${round(Math.min(...numbers))}–${round(Math.max(...numbers))}`;
const round = (value: number, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : 'n/a');
const seedColumns = experiments.map((experiment) => `seed ${experiment.seed}`);

// The comparison at the same daily budget.
const comparisonNames = [
  policyName.risk,
  ...UPLIFT_METHODS.flatMap((method) => [policyName.learned(method, 'all', true), policyName.learned(method, 'all')]),
  policyName.oracle,
  policyName.foresight,
];
const comparison: ResultsTable = {
  title: `Extra customers retained against no action, at the same daily budget (${settings.evaluation.dailyBudget}/day, ${settings.evaluation.days} days, ${settings.evaluation.customers} customers)`,
  columns: ['policy', ...seedColumns, 'mean', 'min–max', 'treated (mean)', 'spent (mean)'],
  rows: comparisonNames.map((name) => {
    const values = perSeed((experiment) => extra(experiment, name));
    return [
      name,
      ...values,
      round(mean(values), 1),
      spread(values),
      round(mean(perSeed((experiment) => experiment.evaluation[name]?.treated ?? Number.NaN)), 0),
      round(mean(perSeed((experiment) => experiment.evaluation[name]?.spent ?? Number.NaN)), 0),
    ];
  }),
};

// The learning curve: extra retained against the number of logged decisions learned from.
const curveSizes = [...new Set(experiments.flatMap((experiment) => [...settings.curve.filter((size) => size < experiment.loggedDecisions), 'all' as const]))];
const learningCurve: ResultsTable = {
  title: 'Learning curve: extra customers retained by the uplift policy (no threshold) against the logged decisions it learned from',
  columns: ['logged decisions', ...UPLIFT_METHODS.flatMap((method) => [`${method}: ${seedColumns.join(' / ')}`, `${method} mean`]), 'risk mean', 'oracle (expected) mean'],
  rows: curveSizes.map((size) => [
    size === 'all' ? `all (${experiments.map((experiment) => experiment.loggedDecisions).join(' / ')})` : size,
    ...UPLIFT_METHODS.flatMap((method) => {
      const values = perSeed((experiment) => extra(experiment, policyName.learned(method, size)));
      return [values.join(' / '), round(mean(values), 1)];
    }),
    round(mean(perSeed((experiment) => extra(experiment, policyName.risk))), 1),
    round(mean(perSeed((experiment) => extra(experiment, policyName.oracle))), 1),
  ]),
};
/** The smallest log size from which the chosen method's policy beat the risk policy on every seed. */
const paysFrom = curveSizes.find((size) =>
  experiments.every((experiment) => extra(experiment, policyName.learned(experiment.chosenMethod, size)) > extra(experiment, policyName.risk)),
);

const qiniNames = [...UPLIFT_METHODS, 'oracle', 'random'] as const;
const qiniTable = (outcomes: 'observed' | 'potential', title: string): ResultsTable => ({
  title,
  columns: ['score', ...seedColumns, 'mean'],
  rows: qiniNames.map((name) => [
    name,
    ...experiments.map((experiment) => {
      const qini = experiment.qini[outcomes][name];
      return `${qini.coefficient.toFixed(4)} [${qini.low.toFixed(4)}, ${qini.high.toFixed(4)}]`;
    }),
    round(mean(perSeed((experiment) => experiment.qini[outcomes][name].coefficient)), 4),
  ]),
});
const qiniPotential = qiniTable(
  'potential',
  `Qini coefficient on held-out logged decisions, both potential outcomes known (${settings.testShare * 100} % of the logging store's customers; 95 % bootstrap band)`,
);
const qiniObserved = qiniTable('observed', 'Qini coefficient on the same decisions, outcomes as observed (each decision in its random arm): what a store can compute');

const typeNames: ResponseType[] = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'];
const worldTable: ResultsTable = {
  title: 'The simulated world: response types of the customers considered by the logging store (all seeds)',
  columns: ['action', 'cost', ...typeNames.map((type) => type.replace('_', ' ')), 'would leave within the horizon'],
  rows: RETENTION_ACTIONS.map((action) => {
    const totals = typeNames.map((type) => experiments.reduce((sum, experiment) => sum + experiment.typeMix[action][type], 0));
    const all = totals.reduce((sum, value) => sum + value, 0);
    return [
      action,
      SIMULATED_ACTIONS.find((spec) => spec.name === action)!.cost,
      ...totals.map((count) => `${((100 * count) / all).toFixed(1)} %`),
      `${(100 * mean(perSeed((experiment) => experiment.wouldLeaveShare))).toFixed(1)} %`,
    ];
  }),
};
const logTable: ResultsTable = {
  title: 'The logs learned from (logging store, per seed)',
  columns: ['seed', 'logged decisions', ...RETENTION_ACTIONS.map((action) => `${action} (hold-out)`), 'explored', 'method picked by held-out Qini'],
  rows: experiments.map((experiment) => [
    experiment.seed,
    experiment.loggedDecisions,
    ...RETENTION_ACTIONS.map((action) => {
      const counts = experiment.logByAction[action];
      return counts ? `${counts.decisions} (${counts.holdout})` : '0';
    }),
    experiment.loggingResult.explored,
    experiment.chosenMethod,
  ]),
};

// Targets, per method: ratios per seed, judged on their mean; the spread is in the tables.
const ratio = (numerator: (experiment: ExperimentResult) => number, denominator: (experiment: ExperimentResult) => number) =>
  perSeed((experiment) => numerator(experiment) / denominator(experiment));
const target = (name: string, values: number[], bar: number): TargetResult & { bar: number; perSeed: number[] } => {
  const measured = mean(values);
  return { name, measured: Number.isFinite(measured) ? Number(measured.toFixed(3)) : null, target: `>= ${bar}`, bar, met: measured >= bar, perSeed: values.map((value) => Number(value.toFixed(3))) };
};
const targets = UPLIFT_METHODS.flatMap((method) => {
  const policy = policyName.learned(method, 'all', true);
  return [
    target(`${method}: uplift policy extra retained / risk policy's (same budget)`, ratio((experiment) => extra(experiment, policy), (experiment) => extra(experiment, policyName.risk)), BARS.overRisk),
    target(`${method}: uplift policy extra retained / oracle (expected)'s`, ratio((experiment) => extra(experiment, policy), (experiment) => extra(experiment, policyName.oracle)), BARS.ofOracle),
    target(
      `${method}: learned models' Qini coefficient / oracle's (held-out decisions, both potential outcomes)`,
      ratio((experiment) => experiment.qini.potential[method].coefficient, (experiment) => experiment.qini.potential.oracle.coefficient),
      BARS.qiniOfOracle,
    ),
  ];
});
const targetTable: ResultsTable = {
  title: 'Targets, per method (the uplift policy as configured by default: models trained on the whole log, the default trust threshold), means over seeds',
  columns: ['target', ...seedColumns, 'mean', 'min–max', 'bar', 'met'],
  rows: targets.map((entry) => [entry.name, ...entry.perSeed, entry.measured ?? 'n/a', spread(entry.perSeed), entry.target, entry.met ? 'yes' : 'no']),
};

const results = {
  name: 'uplift',
  title: 'Uplift: learning which action works for whom (npm run bench:uplift)',
  generatedAt: new Date().toISOString(),
  machine: machineInfo(),
  tables: [targetTable, comparison, learningCurve, qiniPotential, qiniObserved, logTable, worldTable],
  notes: [
    `${values.quick ? 'QUICK smoke run: small stores, figures not meaningful. ' : ''}Seeds ${seeds.join(', ')}; ${minutes.toFixed(1)} minutes on a shared 2-core machine (load average ${loadAtStart.toFixed(1)} at the start). Nothing here is timed: every figure is a count on the simulator's ground truth.`,
    `Logging store: ${settings.logging.customers} customers, ${settings.warmupDays} days of history, then ${settings.logging.days} days of today's risk policy (expected value, ε-greedy exploration ${settings.logging.exploration}, hold-out ${settings.holdoutFraction}, ${settings.logging.dailyBudget}/day), outcomes ${settings.horizonDays} days after each decision. Evaluation store: another seed (seed + 1000), ${settings.evaluation.customers} customers, ${settings.evaluation.days} campaign days, ${settings.evaluation.dailyBudget}/day; every policy decides over the same customers, once per customer.`,
    `Extra retained = persuadables treated − sleeping dogs treated (hold-out decisions change nothing). "oracle (expected)" values actions by the simulator's expected uplift from each customer's hidden state today (it knows who has already decided to leave, their coupon-responsiveness and grievances, not the future); "oracle (foresight)" knows each realised response type, a bound no model can reach.`,
    `Uplift models: logistic regression per arm (T-learner) or one on the transformed class (class transformation), L2 ${settings.l2}, churnkit's trainer, written as model files and loaded with loadUpliftModels. "default threshold" trusts an action's model from ${DEFAULT_MIN_DECISIONS} logged decisions (and 100 per arm), expected value before; "n=…" rows trust every model.`,
    'Qini on simulated data: every held-out decision\'s response type is known, so it is counted as a treated and a held-out row at once (both potential outcomes); this removes the noise of the random arms, which on a few thousand decisions is as large as the signal (the observed-outcome table shows it). The target is judged on the potential-outcome Qini; the method is picked on the observed one, as a store would.',
    paysFrom === undefined
      ? 'The uplift policy (method picked on held-out Qini) did not beat the risk policy on every seed at any log size measured.'
      : `The uplift policy (method picked on held-out Qini) beat the risk policy on every seed from ${paysFrom === 'all' ? 'the whole log' : `${paysFrom} logged decisions`} on.`,
  ],
  targets,
  experiments,
};
const file = writeResults(results, { scratch: values.quick });
log(`wrote ${file}`);
if (!values.quick) {
  const report = writeReport();
  log(`wrote ${report.markdownFile}`);
}
