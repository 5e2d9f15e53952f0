/**
 * `npm run bench:uplift` — does learning which action works for whom pay, on a simulated
 * store whose customers' response types are known (docs/uplift.md)? For several seeds
 * (bench/uplift-experiment.ts): log decisions with today's risk policy, train uplift models
 * on them, then compare, at the same daily budget on a fresh store, the extra customers
 * retained against no action by today's risk-ranked expected-value policy, the uplift policy
 * and the oracle. Measures the issue's targets and the learning curve, writes
 * bench/results/uplift.json and regenerates bench/RESULTS.md.
 *
 * `--scale k` multiplies the logging store's customers and daily budget by k (the same budget
 * per customer, k times the logged decisions): the learning curve then runs k times further.
 * At scale 1 a seed takes 8–20 minutes on the shared 2-core machine, at scale 3 15–60 (load).
 *
 * `--experiments-dir <dir>` keeps each seed's measurements there and reads back the seeds it
 * already holds (same settings): seeds can run in separate processes and be put together.
 *
 *   npm run build && npm run bench:uplift [-- --seeds 1,2,3] [-- --scale 3] [-- --experiments-dir d] [-- --quick]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngine } from '../src/node/index.js';
import { RETENTION_ACTIONS, type ResponseType } from '../src/generate/response-types.js';
import { UPLIFT_SHRINKAGE_PATH } from '../src/uplift/train-uplift.js';
import { UPLIFT_METHODS, type UpliftMethod } from '../src/uplift/uplift-role.js';
import { DEFAULT_MIN_DECISIONS } from '../plugin/policy/learning-options.js';
import { loadServingModel } from '../plugin/load-model.js';
import { nodeModelLoader } from '../plugin/node-model-loader.node.js';
import { SIMULATED_ACTIONS } from '../plugin/simulation/simulated-store-policy.js';
import { writeReport } from './report.js';
import { repoRoot } from './repo-root.js';
import { machineInfo, writeResults, type Cell, type ResultsTable, type TargetResult } from './results-file.js';
import { policyName, runExperiment, type ExperimentResult, type ExperimentSettings, type UpliftScorer } from './uplift-experiment.js';

const FULL: ExperimentSettings = {
  warmupDays: 150,
  horizonDays: 90,
  holdoutFraction: 0.2,
  logging: { customers: 60_000, days: 84, dailyBudget: 1200, exploration: 0.05 },
  evaluation: { customers: 20_000, days: 28, dailyBudget: 400 },
  curve: [1000, 2000, 4000, 8000, 14000, 28000],
  // The settings every uplift network had in runs before 2026-12-04.
  ceiling: { learningRate: 0.01, l2: 0.01 },
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

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    scale: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    'experiments-dir': { type: 'string' },
  },
});
const seeds = values.seeds!.split(',').map((seed) => Number(seed.trim()));
const scale = Number(values.scale);
if (!(Number.isInteger(scale) && scale >= 1 && scale <= 20)) throw new RangeError(`--scale must be a whole number from 1 to 20, got ${values.scale}`);
const base = values.quick ? QUICK : FULL;
const settings: ExperimentSettings = {
  ...base,
  logging: { ...base.logging, customers: base.logging.customers * scale, dailyBudget: base.logging.dailyBudget * scale },
};
const log = (line: string) => process.stderr.write(`${line}\n`);

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const engine = await loadEngine();
const model = await loadServingModel(join(repoRoot(), 'models', 'storefront.json'), nodeModelLoader(engine));
const experiments: ExperimentResult[] = [];
for (const seed of seeds) {
  // With --experiments-dir, a seed measured before with the same settings is read back, so
  // seeds can run in separate processes (or a stopped run resume) and be put together.
  const saved = values['experiments-dir'] === undefined ? undefined : join(values['experiments-dir'], `seed-${seed}.json`);
  if (saved !== undefined && existsSync(saved)) {
    const earlier = JSON.parse(readFileSync(saved, 'utf8')) as { settings: unknown; experiment: ExperimentResult };
    if (JSON.stringify(earlier.settings) !== JSON.stringify(settings)) throw new Error(`${saved} was measured with other settings; remove it or use another --experiments-dir`);
    log(`seed ${seed}: read from ${saved}`);
    experiments.push(earlier.experiment);
    continue;
  }
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-bench-uplift-'));
  try {
    log(`seed ${seed}`);
    const experiment = await runExperiment(seed, settings, { engine, model, folder, log });
    experiments.push(experiment);
    if (saved !== undefined) {
      mkdirSync(values['experiments-dir']!, { recursive: true });
      writeFileSync(saved, JSON.stringify({ settings, experiment }));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
const minutes = (performance.now() - started) / 60_000;
/** Each seed's own minutes (logging, training, evaluation), read back ones included. */
const seedMinutes = experiments.map((experiment) => (experiment.seconds.logging + experiment.seconds.training + experiment.seconds.evaluation) / 60);

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

// The learning curve: extra retained against the number of logged decisions learned from,
// and the Qini of models trained on the first n decisions of the training customers.
const curveSizes = [...new Set(experiments.flatMap((experiment) => [...settings.curve.filter((size) => size < experiment.loggedDecisions), 'all' as const]))];
const qiniRatioAt = (experiment: ExperimentResult, method: UpliftMethod, size: number | 'all') =>
  (experiment.qiniCurve[size]?.[method] ?? Number.NaN) / experiment.qini.potential.oracle.coefficient;
const learningCurve: ResultsTable = {
  title:
    'Learning curve: extra customers retained by the uplift policy (no threshold) against the logged decisions it learned from, and its models\' Qini ÷ the oracle\'s (models trained on the first n decisions of the 70 % training customers; "all" = all of them)',
  columns: [
    'logged decisions',
    ...UPLIFT_METHODS.flatMap((method) => [`${method}: ${seedColumns.join(' / ')}`, `${method} mean`, `${method} ÷ oracle`, `${method} Qini ÷ oracle's`]),
    'risk mean',
    'oracle (expected) mean',
  ],
  rows: curveSizes.map((size) => [
    size === 'all' ? `all (${experiments.map((experiment) => experiment.loggedDecisions).join(' / ')})` : size,
    ...UPLIFT_METHODS.flatMap((method) => {
      const values = perSeed((experiment) => extra(experiment, policyName.learned(method, size)));
      return [
        values.join(' / '),
        round(mean(values), 1),
        round(mean(perSeed((experiment) => extra(experiment, policyName.learned(method, size)) / extra(experiment, policyName.oracle)))),
        round(mean(perSeed((experiment) => qiniRatioAt(experiment, method, size)))),
      ];
    }),
    round(mean(perSeed((experiment) => extra(experiment, policyName.risk))), 1),
    round(mean(perSeed((experiment) => extra(experiment, policyName.oracle))), 1),
  ]),
};
/** The smallest log size from which the chosen method's policy beat the risk policy on every seed. */
const paysFrom = curveSizes.find((size) =>
  experiments.every((experiment) => extra(experiment, policyName.learned(experiment.chosenMethod, size)) > extra(experiment, policyName.risk)),
);

/** Per method, the smallest log size at which a ≥ 0.70-of-the-oracle target is met on the mean of the seeds. */
const metFrom = (method: UpliftMethod, ratioAt: (experiment: ExperimentResult, size: number | 'all') => number) =>
  curveSizes.find((size) => mean(perSeed((experiment) => ratioAt(experiment, size))) >= BARS.ofOracle);
const curveVerdicts = UPLIFT_METHODS.map((method) => {
  const extraFrom = metFrom(method, (experiment, size) => extra(experiment, policyName.learned(method, size)) / extra(experiment, policyName.oracle));
  const qiniFrom = metFrom(method, (experiment, size) => qiniRatioAt(experiment, method, size));
  const said = (size: number | 'all' | undefined) => (size === undefined ? 'at no log size measured' : size === 'all' ? 'with the whole log' : `from ${size} decisions`);
  return `${method}: extra retained ≥ 0.70 of the oracle's ${said(extraFrom)}; Qini ≥ 0.70 of the oracle's ${said(qiniFrom)}`;
});

const qiniNames: readonly UpliftScorer[] = [...UPLIFT_METHODS, 'oracle', 'ceiling (logged features)', 'ceiling', 'random'];
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
const qiniRatios: ResultsTable = {
  title: "Potential-outcome Qini ÷ the oracle's (same held-out decisions): what the features can carry (ceilings) and what the learners reach",
  columns: ['score', ...seedColumns, 'mean'],
  rows: (['ceiling (logged features)', 'ceiling', ...UPLIFT_METHODS] as const).map((name) => {
    const values = perSeed((experiment) => experiment.qini.potential[name].coefficient / experiment.qini.potential.oracle.coefficient);
    return [name === 'ceiling' ? 'ceiling (with behaviour columns)' : name, ...values.map((value) => round(value)), round(mean(values))];
  }),
};
const qiniObserved = qiniTable('observed', 'Qini coefficient on the same decisions, outcomes as observed (each decision in its random arm): what a store can compute');

// Why learning is hard here: a linear uplift model on d features estimated from n decisions
// carries noise of about transformedSd·sqrt(d/n) per prediction; it ranks well only once that
// is well below the spread of the true uplift. Decisions needed for noise = half the signal:
const signalTable: ResultsTable = {
  title: 'Signal and noise per action (logging store): the true uplift\'s spread against the noise each decision carries',
  columns: ['action', 'logged decisions (mean)', 'sd of the oracle\'s expected uplift', 'sd of the transformed outcome', 'features', 'decisions for noise ≈ half the signal (linear model)'],
  rows: RETENTION_ACTIONS.map((action) => {
    const upliftSd = mean(perSeed((experiment) => experiment.signal[action]?.upliftSd ?? Number.NaN));
    const transformedSd = mean(perSeed((experiment) => experiment.signal[action]?.transformedSd ?? Number.NaN));
    const features = experiments[0]?.signal[action]?.features ?? Number.NaN;
    return [
      action,
      round(mean(perSeed((experiment) => experiment.logByAction[action]?.decisions ?? Number.NaN)), 0),
      round(upliftSd, 3),
      round(transformedSd, 2),
      features,
      Math.round((features * (transformedSd / (upliftSd / 2)) ** 2) / 1000) * 1000,
    ];
  }),
};

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
  tables: [targetTable, comparison, learningCurve, qiniRatios, qiniPotential, qiniObserved, signalTable, logTable, worldTable],
  notes: [
    `${values.quick ? 'QUICK smoke run: small stores, figures not meaningful. ' : ''}Seeds ${seeds.join(', ')}; ${seedMinutes.map((value) => value.toFixed(0)).join(' / ')} minutes per seed on a shared 2-core machine${values['experiments-dir'] === undefined ? '' : ' (seeds run as separate processes side by side, with --experiments-dir)'}, ${minutes.toFixed(1)} minutes for this run (load average ${loadAtStart.toFixed(1)} at its start). Nothing here is timed: every figure is a count on the simulator's ground truth.`,
    `Logging store${scale > 1 ? ` (--scale ${scale})` : ''}: ${settings.logging.customers} customers, ${settings.warmupDays} days of history, then ${settings.logging.days} days of today's risk policy (expected value, ε-greedy exploration ${settings.logging.exploration}, hold-out ${settings.holdoutFraction}, ${settings.logging.dailyBudget}/day), outcomes ${settings.horizonDays} days after each decision. Evaluation store: another seed (seed + 1000), ${settings.evaluation.customers} customers, ${settings.evaluation.days} campaign days, ${settings.evaluation.dailyBudget}/day; every policy decides over the same customers, once per customer.`,
    `Extra retained = persuadables treated − sleeping dogs treated (hold-out decisions change nothing). "oracle (expected)" values actions by the simulator's expected uplift from each customer's hidden state today (it knows who has already decided to leave, their segment, coupon redemptions and grievances, not the future); "oracle (foresight)" knows each realised response type, a bound no model can reach.`,
    `Uplift models: logistic regression per arm (T-learner), one on the transformed class (class transformation), or one on the DR-learner's pseudo-outcome (the outcome less a cross-fitted baseline P(retained | x), times (T − p)/(p(1 − p))), churnkit's trainer with the library's defaults: learning rate and L2 chosen per action (and per log size) on 30 % of the customers, by the squared error of the doubly robust pseudo-outcome, from ${UPLIFT_SHRINKAGE_PATH.map((candidate) => `${candidate.learningRate}/${candidate.l2}`).join(', ')} (UPLIFT_SHRINKAGE_PATH in src/uplift/train-uplift.ts), then refitted on every decision, on the logged features plus the behaviour columns of src/uplift/behaviour-features.ts (coupon use, item price, complaints, low ratings), written as model files and loaded with loadUpliftModels. "default threshold" trusts an action's model from ${DEFAULT_MIN_DECISIONS} logged decisions (and 100 per arm), expected value before; "n=…" rows trust every model.`,
    `"ceiling" in the Qini tables: the learners' logistic model fitted to the oracle's expected uplift instead of outcomes (each training row twice, Z = 1 weighted (1 + u)/2 and Z = 0 weighted (1 − u)/2; learning rate ${settings.ceiling.learningRate}, L2 ${settings.ceiling.l2}, as in earlier runs: no noise to shrink against): what the features can carry in the learners' model form with no noise at all, on the logged features alone ("logged features") and with the behaviour columns the learners see. The gap between it and the oracle is information the features lack in a form a linear model can use; the gap between the learners and it is the noise of learning from this many decisions.`,
    'Qini on simulated data: every held-out decision\'s response type is known, so it is counted as a treated and a held-out row at once (both potential outcomes); this removes the noise of the random arms, which on a few thousand decisions is as large as the signal (the observed-outcome table shows it). The target is judged on the potential-outcome Qini; the method is picked on the observed one, as a store would.',
    `Along the learning curve (means of the seeds; largest log ${Math.max(...experiments.map((experiment) => experiment.loggedDecisions))} decisions): ${curveVerdicts.join('; ')}.`,
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
