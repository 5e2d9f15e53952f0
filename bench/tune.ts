/**
 * `npm run bench:tune`: what `churnkit tune` buys, on data the search never saw, and how long
 * it takes next to scikit-learn's GridSearchCV. Writes bench/results/tune-<section>.json (rendered into
 * bench/RESULTS.md by bench:report).
 *
 * - E-commerce (../shared/datasets/ecommerce-churn): for seeds 1–5, tune on train.csv only
 *   (20 configurations × 5 folds), refit the choice on train.csv, score test.csv; the default
 *   trainer with the same seed is the baseline. Target: mean tuned test AUC >= 0.990.
 * - Speed: each of those searches is 20 × 5 fits; GridSearchCV over 20 MLPClassifier
 *   configurations × 5 folds runs in the same process run when scikit-learn imports.
 * - CDNOW (as-of 1997-09-30, 39 weeks): nested cross-validation, so no score comes from rows
 *   the search saw: 5 outer stratified folds; inside each outer training part, tune
 *   as a user runs it (`churnkit tune`'s defaults: 20 configurations × 5 folds), refit, score
 *   the outer fold. Repeated over three outer splits (seeds 1–3: 15 outer folds), because one
 *   split's mean moves by more than the distance between the defaults and the bar. Target:
 *   mean over the 15 outer folds >= 0.772.
 * - Generated storefronts (data nobody tuned for): 3 stores, tune on 70 %, score the other
 *   30 %; the tuned model must not be worse than the default by more than the
 *   cross-validation's own spread (the default's sd over folds).
 *
 * Each section writes its own results file (bench/results/tune-<section>.json), so the three
 * can run as separate processes at the same time (`--section ecommerce|cdnow|storefronts`);
 * without `--section` they run one after the other.
 *
 *   node dist/bench/tune.js [--quick] [--section ecommerce|cdnow|storefronts] [--part …]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { featureTableCsv } from '../src/cli/commands/features.js';
import { readCsvFile } from '../src/data/read-csv-file.node.js';
import type { Engine } from '../src/engine/types.js';
import { computeBatchFeatures } from '../src/features/batch-features.node.js';
import { resolveChurnLabel } from '../src/features/churn-label.js';
import { readEventColumns } from '../src/features/read-event-columns.node.js';
import { writeStorefrontFiles } from '../src/generate/write-storefront-files.node.js';
import { rocAuc } from '../src/metrics/roc-auc.js';
import { mean } from '../src/metrics/summary-statistics.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import { loadEngine } from '../src/node/index.js';
import { createRandom } from '../src/train/random.js';
import { stratifiedFolds } from '../src/train/stratified-folds.js';
import { stratifiedSplit } from '../src/train/stratified-split.js';
import { train } from '../src/train/train.js';
import { tune, type TrialResult, type TuneResult } from '../src/tune/tune.js';
import { writeFileAtomically } from '../src/node/write-file-atomically.js';
import { ECOMMERCE_ID, ECOMMERCE_TARGET, ecommerceFolder, readEcommerceSplit } from './ecommerce-dataset.js';
import { repoRoot } from './repo-root.js';
import { machineInfo, writeResults, type Cell, type ResultsTable, type TargetResult } from './results-file.js';

const quick = process.argv.includes('--quick');
const PLAN = quick
  ? { seeds: [1], trials: 3, folds: 3, cdnowTrials: 2, cdnowInnerFolds: 2, stores: [11], storeCustomers: 1500 }
  : { seeds: [1, 2, 3, 4, 5], trials: 20, folds: 5, cdnowTrials: 20, cdnowInnerFolds: 5, stores: [11, 12, 13], storeCustomers: 6000 };
/** The outer splits of CDNOW's nested cross-validation (each `stratifiedFolds(labels, 5, seed)`). */
const CDNOW_OUTER_SEEDS = quick ? [1] : [1, 2, 3];
const CDNOW = join(repoRoot(), '..', 'shared', 'datasets', 'cdnow', 'CDNOW_master.txt');

const log = (line: string) => process.stderr.write(`bench:tune: ${line}\n`);
const round = (value: number, digits = 4) => Number(value.toFixed(digits));

const SECTIONS = {
  ecommerce: { title: 'churnkit tune on the e-commerce split: tuned against default, and against GridSearchCV', run: ecommerce },
  cdnow: { title: 'churnkit tune on CDNOW: nested cross-validation', run: cdnow },
  storefronts: { title: 'churnkit tune on generated storefronts: never worse than the default by more than the CV spread', run: storefronts },
} as const;
type SectionName = keyof typeof SECTIONS;

const chosen = optionValue('--section');
if (chosen !== undefined && !(chosen in SECTIONS)) throw new Error(`--section must be one of ${Object.keys(SECTIONS).join(', ')}, got "${chosen}"`);
const engine = await loadEngine();
for (const name of chosen ? [chosen as SectionName] : (Object.keys(SECTIONS) as SectionName[])) await runSection(name);

/** One section, measured and written to its own results file. */
async function runSection(name: SectionName): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const section: Section = { tables: [], targets: [], notes: [], raw: {} };
  const scratch = mkdtempSync(join(tmpdir(), 'churnkit-tune-bench-'));
  let outcome: 'partial' | void;
  try {
    outcome = await SECTIONS[name].run(section, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (outcome === 'partial') return;
  // A merge only reads the parts: the load of the machine while it runs says nothing about them.
  if (optionValue('--part') !== 'merge') {
    section.notes.push(`Machine shared with other engineers' work (2 cores); 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end. Times are wall clock; compare them only within this run.`);
  }
  section.notes.push(
    'Every search: configuration 1 is the trainer\'s defaults, the rest drawn from DEFAULT_SEARCH_SPACE with the seed; the choice is the defaults unless the best mean AUC beats them by more than one standard error of the paired fold differences.',
  );
  const file = writeResults(
    { name: `tune-${name}`, title: SECTIONS[name].title, generatedAt: new Date().toISOString(), machine: machineInfo(), tables: section.tables, notes: section.notes, targets: section.targets, raw: section.raw, quick },
    { scratch: quick },
  );
  log(`wrote ${file}`);
}

interface Section {
  tables: ResultsTable[];
  targets: TargetResult[];
  notes: string[];
  raw: Record<string, unknown>;
}

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function describe(trial: TrialResult): string {
  const settings = trial.resolved;
  if (trial.isDefault) return 'defaults';
  const shape = settings.model === 'mlp' ? `mlp ${settings.hidden.join(',')}` : 'logreg';
  return `${shape}, lr ${settings.learningRate} ${settings.schedule}, l2 ${settings.l2}, ${settings.epochs}/${settings.patience} epochs, batch ${settings.batchSize}, ${String(settings.classWeight)}, ${settings.monitor}`;
}

async function testAuc(engine: Engine, trainRows: readonly RawRecord[], testRows: readonly RawRecord[], testLabels: ArrayLike<number>, options: { target: string; id?: string; seed: number; settings: TrialResult['settings'] }): Promise<number> {
  const { model } = await train(trainRows, { engine, target: options.target, seed: options.seed, ...(options.id ? { id: options.id } : {}), ...options.settings });
  try {
    return rocAuc(testLabels, model.predictBatch(testRows));
  } finally {
    model.dispose();
  }
}

/** One seed of the e-commerce measurement: a search on train.csv, then both models on test.csv. */
interface EcommerceSeed {
  seed: number;
  searchSeconds: number;
  chosen: string;
  chosenCvAuc: number;
  defaultCvAuc: number;
  defaultTestAuc: number;
  tunedTestAuc: number;
  loadAverage: [number, number];
}

/**
 * The e-commerce part is the longest (five searches and a GridSearchCV), so it can be split:
 * `--part seed:N` or `--part sklearn` measures one piece into bench/results/tune-ecommerce-parts/
 * (git-ignored), and `--part merge` writes tune-ecommerce.json from the pieces. Without
 * `--part`, everything runs in this process.
 */
async function ecommerce({ tables, targets, notes, raw }: Section): Promise<'partial' | void> {
  const part = optionValue('--part');
  const split = await readEcommerceSplit();
  if (!split) {
    notes.push(`E-commerce sections not measured: ${ecommerceFolder()} is absent.`);
    targets.push({ name: 'Tuned MLP, mean test ROC AUC over seeds (e-commerce)', measured: null, target: '>= 0.990', met: false });
    return;
  }
  if (part?.startsWith('seed:')) {
    savePart('ecommerce', `seed-${part.slice(5)}`, await ecommerceSeed(split, Number(part.slice(5))));
    return 'partial';
  }
  if (part === 'sklearn') {
    savePart('ecommerce', 'sklearn', runSklearn(notes) ?? { missing: notes.at(-1) });
    return 'partial';
  }
  const seeds = part === 'merge' ? PLAN.seeds.map((seed) => loadPart<EcommerceSeed>('ecommerce', `seed-${seed}`)) : [];
  const sklearnPart = part === 'merge' ? loadPart<SklearnRun | { missing: string }>('ecommerce', 'sklearn') : runSklearn(notes);
  const sklearn = sklearnPart && 'seconds' in sklearnPart ? sklearnPart : undefined;
  if (sklearnPart && 'missing' in sklearnPart) notes.push(sklearnPart.missing);
  if (part !== 'merge') for (const seed of PLAN.seeds) seeds.push(await ecommerceSeed(split, seed));
  if (part === 'merge') notes.push('The five searches and the GridSearchCV ran as six processes at the same time (`--part`), each on its share of the two cores.');

  const tunedAucs = seeds.map((run) => run.tunedTestAuc);
  const defaultAucs = seeds.map((run) => run.defaultTestAuc);
  const searchSeconds = seeds.map((run) => run.searchSeconds);
  const rows: Cell[][] = seeds.map((run) => [run.seed, round(run.searchSeconds, 1), run.chosen, round(run.chosenCvAuc), round(run.defaultCvAuc), round(run.defaultTestAuc), round(run.tunedTestAuc)]);
  rows.push(['mean', round(mean(searchSeconds), 1), '', '', '', round(mean(defaultAucs)), round(mean(tunedAucs))]);
  tables.push({
    title: `E-commerce: tune on train.csv (${PLAN.trials} configurations × ${PLAN.folds} folds), refit, score test.csv`,
    columns: ['seed', 'search s', 'chosen configuration', 'CV AUC chosen', 'CV AUC defaults', 'test AUC defaults', 'test AUC tuned'],
    rows,
  });
  targets.push({ name: `Tuned MLP, mean test ROC AUC over ${PLAN.seeds.length} seeds (e-commerce)`, measured: round(mean(tunedAucs)), target: '>= 0.990', met: mean(tunedAucs) >= 0.99 });
  raw['ecommerce'] = seeds;

  const speedRows: Cell[][] = [[`churnkit tune (${PLAN.trials} × ${PLAN.folds}, seeds ${PLAN.seeds.join(', ')})`, round(Math.min(...searchSeconds), 1), round(mean(searchSeconds), 1), round(Math.max(...searchSeconds), 1), round(mean(tunedAucs))]];
  if (sklearn) {
    speedRows.push([`scikit-learn ${sklearn.sklearn} GridSearchCV (MLPClassifier, ${sklearn.configurations} × ${sklearn.folds}, seed 1)`, round(sklearn.seconds, 1), round(sklearn.seconds, 1), round(sklearn.seconds, 1), round(sklearn.test_auc)]);
    notes.push(`GridSearchCV grid: hidden_layer_sizes (32,), (64,32), (128,64), (256,128), (128,64,32) × alpha 1e-4, 1e-3 × learning_rate_init 1e-3, 3e-3; early stopping, n_jobs=1 and one BLAS thread, median imputation + standardisation + one-hot (bench/sklearn_grid_search.py). Best: ${JSON.stringify(sklearn.best_params)} (CV AUC ${sklearn.best_cv_auc.toFixed(4)}). churnkit's searches took ${(mean(searchSeconds) / sklearn.seconds).toFixed(2)}× GridSearchCV's time on average.`);
    raw['sklearn'] = sklearn;
  } else if (!sklearnPart) {
    notes.push('scikit-learn is not importable here (neither python3 nor /usr/bin/python3): no GridSearchCV figure in this run.');
  }
  for (const run of seeds) notes.push(`Seed ${run.seed}: 1-minute load average ${run.loadAverage[0].toFixed(1)} when its search started, ${run.loadAverage[1].toFixed(1)} when it ended.`);
  tables.push({ title: `Speed: ${PLAN.trials} configurations × ${PLAN.folds} folds on the e-commerce train set (4,504 rows), one process each`, columns: ['search', 'min s', 'mean s', 'max s', 'test AUC of its choice'], rows: speedRows });
}

async function ecommerceSeed(split: NonNullable<Awaited<ReturnType<typeof readEcommerceSplit>>>, seed: number): Promise<EcommerceSeed> {
  const loadAtStart = loadavg()[0]!;
  const result = await tune(split.train, { engine, target: ECOMMERCE_TARGET, id: ECOMMERCE_ID, trials: PLAN.trials, folds: PLAN.folds, seed });
  const loadAtEnd = loadavg()[0]!;
  const tuned = await testAuc(engine, split.train, split.test, split.testLabels, { target: ECOMMERCE_TARGET, id: ECOMMERCE_ID, seed, settings: result.chosen.settings });
  const baseline = await testAuc(engine, split.train, split.test, split.testLabels, { target: ECOMMERCE_TARGET, id: ECOMMERCE_ID, seed, settings: {} });
  log(`e-commerce seed ${seed}: ${result.seconds.toFixed(1)} s, chose ${describe(result.chosen)}; test AUC default ${baseline.toFixed(4)}, tuned ${tuned.toFixed(4)}`);
  return {
    seed,
    searchSeconds: result.seconds,
    chosen: `${result.chosen.trial}: ${describe(result.chosen)}`,
    chosenCvAuc: result.chosen.auc,
    defaultCvAuc: result.trials[0]!.auc,
    defaultTestAuc: baseline,
    tunedTestAuc: tuned,
    loadAverage: [loadAtStart, loadAtEnd],
  };
}

function partsFolder(section: SectionName): string {
  return join(repoRoot(), 'bench', 'results', `tune-${section}-parts`);
}

function savePart(section: SectionName, name: string, value: unknown): void {
  mkdirSync(partsFolder(section), { recursive: true });
  writeFileSync(join(partsFolder(section), `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
  log(`wrote ${join(partsFolder(section), `${name}.json`)}`);
}

/** A part saved by `--part <kind>:<N>` (file `<kind>-<N>.json`) or `--part sklearn`. */
function loadPart<T>(section: SectionName, name: string): T {
  const file = join(partsFolder(section), `${name}.json`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run node dist/bench/tune.js --section ${section} --part ${name.replace('-', ':')} first`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

interface SklearnRun {
  sklearn: string;
  configurations: number;
  folds: number;
  seconds: number;
  best_params: Record<string, unknown>;
  best_cv_auc: number;
  test_auc: number;
}

function runSklearn(notes: string[]): SklearnRun | undefined {
  const python = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' }).status === 0);
  if (!python) return undefined;
  log(`GridSearchCV with ${python}...`);
  const folder = ecommerceFolder();
  // One thread for numpy's BLAS too: churnkit's search runs on one core.
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const run = spawnSync(python, [join(repoRoot(), 'bench', 'sklearn_grid_search.py'), join(folder, 'train.csv'), join(folder, 'test.csv'), '1', ...(quick ? ['quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (run.status !== 0) {
    notes.push(`GridSearchCV failed: ${run.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  const result = JSON.parse(run.stdout) as SklearnRun;
  log(`GridSearchCV: ${result.seconds.toFixed(1)} s, test AUC ${result.test_auc.toFixed(4)}`);
  return result;
}

/** Events → the `churnkit features` table → records, as the CLI does it. */
async function featureRecords(scratch: string, events: string, format: 'csv' | 'cdnow', asOf: string, horizon: string, name: string): Promise<readonly RawRecord[]> {
  const columns = await readEventColumns(events, { format });
  const out = join(scratch, `${name}.csv`);
  await writeFileAtomically(out, featureTableCsv(computeBatchFeatures(columns, { label: resolveChurnLabel({ asOf, horizon }) })));
  return (await readCsvFile(out, { kinds: new Map([['customer_id', 'text']]) })).records;
}

/**
 * One outer split of CDNOW takes about a quarter of an hour, so like the e-commerce part it
 * can be split: `--part outer:N` measures outer split N into bench/results/tune-cdnow-parts/
 * (git-ignored), and `--part merge` writes tune-cdnow.json from the splits of
 * CDNOW_OUTER_SEEDS. Without `--part`, every split runs in this process.
 */
async function cdnow({ tables, targets, notes, raw }: Section, scratch: string): Promise<'partial' | void> {
  const part = optionValue('--part');
  if (!existsSync(CDNOW)) {
    notes.push(`CDNOW section not measured: ${CDNOW} is absent.`);
    targets.push({ name: 'Tuned, nested 5-fold CV ROC AUC (CDNOW)', measured: null, target: '>= 0.772', met: false });
    return;
  }
  let splits: CdnowSplit[];
  if (part === 'merge') {
    splits = CDNOW_OUTER_SEEDS.map((seed) => loadPart<CdnowSplit>('cdnow', `outer-${seed}`));
    notes.push(`The ${splits.length} outer splits ran as ${splits.length} processes at the same time (\`--part\`), each on its share of the two cores.`);
  } else {
    const records = await featureRecords(scratch, CDNOW, 'cdnow', '1997-09-30', '39w', 'cdnow');
    if (part?.startsWith('outer:')) {
      const seed = Number(part.slice(6));
      savePart('cdnow', `outer-${seed}`, await cdnowSplit(records, seed));
      return 'partial';
    }
    splits = [];
    for (const seed of CDNOW_OUTER_SEEDS) splits.push(await cdnowSplit(records, seed));
  }
  const folds = splits.flatMap((split) => split.folds.map((fold) => ({ split: split.seed, ...fold })));
  const rows: Cell[][] = folds.map((fold) => [fold.split, fold.fold, round(fold.seconds, 1), fold.chosen, round(fold.defaultAuc), round(fold.tunedAuc)]);
  for (const split of splits) rows.push([split.seed, 'mean', '', '', round(mean(split.folds.map((fold) => fold.defaultAuc))), round(mean(split.folds.map((fold) => fold.tunedAuc)))]);
  const tunedAuc = mean(folds.map((fold) => fold.tunedAuc));
  rows.push(['all', 'mean', '', '', round(mean(folds.map((fold) => fold.defaultAuc))), round(tunedAuc)]);
  tables.push({
    title: `CDNOW (${splits[0]!.customers} customers, as-of 1997-09-30, 39 weeks): nested CV, tune (${PLAN.cdnowTrials} × ${PLAN.cdnowInnerFolds}) inside each of 5 outer folds, over ${splits.length} outer splits`,
    columns: ['outer split', 'outer fold', 'search s', 'chosen configuration', 'AUC defaults', 'AUC tuned'],
    rows,
  });
  targets.push({ name: `Tuned, nested 5-fold CV ROC AUC (CDNOW), mean over ${folds.length} outer folds`, measured: round(tunedAuc), target: '>= 0.772', met: tunedAuc >= 0.772 });
  raw['cdnow'] = splits;
}

interface CdnowSplit {
  seed: number;
  customers: number;
  folds: { fold: number; seconds: number; chosen: string; defaultAuc: number; tunedAuc: number; selection: TuneResult['selection'] & { bestTrial: number } }[];
}

/** Nested CV over one outer split (`stratifiedFolds(labels, 5, seed)`); split 1's inner searches use seeds 1–5, split 2's 6–10, … */
async function cdnowSplit(records: readonly RawRecord[], seed: number): Promise<CdnowSplit> {
  const labels = records.map((record) => Number(record['churned']));
  const folds: CdnowSplit['folds'] = [];
  for (const [index, fold] of stratifiedFolds(labels, 5, seed).entries()) {
    const trainRows = fold.train.map((row) => records[row]!);
    const testRows = fold.test.map((row) => records[row]!);
    const testLabels = fold.test.map((row) => labels[row]!);
    const result = await tune(trainRows, { engine, target: 'churned', id: 'customer_id', trials: PLAN.cdnowTrials, folds: PLAN.cdnowInnerFolds, seed: (seed - 1) * 5 + index + 1 });
    const tunedAuc = await testAuc(engine, trainRows, testRows, testLabels, { target: 'churned', id: 'customer_id', seed: 1, settings: result.chosen.settings });
    const defaultAuc = await testAuc(engine, trainRows, testRows, testLabels, { target: 'churned', id: 'customer_id', seed: 1, settings: {} });
    folds.push({ fold: index + 1, seconds: result.seconds, chosen: `${result.chosen.trial}: ${describe(result.chosen)}`, defaultAuc, tunedAuc, selection: { ...result.selection, bestTrial: result.best.trial } });
    log(`CDNOW outer split ${seed}, fold ${index + 1}: chose ${describe(result.chosen)}; AUC default ${defaultAuc.toFixed(4)}, tuned ${tunedAuc.toFixed(4)}`);
  }
  return { seed, customers: records.length, folds };
}

async function storefronts({ tables, targets }: Section, scratch: string): Promise<void> {
  const rows: Cell[][] = [];
  let held = 0;
  for (const seed of PLAN.stores) {
    const events = join(scratch, `store-${seed}.csv`);
    await writeStorefrontFiles({ customers: PLAN.storeCustomers, days: 365, seed, out: events });
    const records = await featureRecords(scratch, events, 'csv', '2025-09-30', '90d', `store-${seed}-features`);
    const labels = records.map((record) => Number(record['churned']));
    const split = stratifiedSplit(labels, 0.3, createRandom(seed));
    const trainRows = split.train.map((row) => records[row]!);
    const testRows = split.validation.map((row) => records[row]!);
    const testLabels = split.validation.map((row) => labels[row]!);
    const result = await tune(trainRows, { engine, target: 'churned', id: 'customer_id', trials: PLAN.trials, folds: PLAN.folds, seed });
    const tuned = await testAuc(engine, trainRows, testRows, testLabels, { target: 'churned', id: 'customer_id', seed, settings: result.chosen.settings });
    const baseline = await testAuc(engine, trainRows, testRows, testLabels, { target: 'churned', id: 'customer_id', seed, settings: {} });
    const spread = result.trials[0]!.aucStd;
    const ok = tuned >= baseline - spread;
    if (ok) held++;
    rows.push([seed, records.length, `${result.chosen.trial}: ${describe(result.chosen)}`, round(result.chosen.auc - result.trials[0]!.auc), round(spread), round(baseline), round(tuned), ok ? 'yes' : 'no']);
    log(`storefront ${seed}: chose ${describe(result.chosen)}; held-out AUC default ${baseline.toFixed(4)}, tuned ${tuned.toFixed(4)} (CV spread ${spread.toFixed(4)})`);
  }
  tables.push({
    title: `Generated storefronts (${PLAN.storeCustomers} customers, a year, as-of 2025-09-30, 90 days): tune on 70 %, score the other 30 %`,
    columns: ['store seed', 'customers', 'chosen configuration', 'CV gain over defaults', 'CV sd of defaults', 'held-out AUC defaults', 'held-out AUC tuned', 'within the spread'],
    rows,
  });
  targets.push({ name: 'Storefronts where tuned >= default − CV spread', measured: held, target: `= ${PLAN.stores.length}`, met: held === PLAN.stores.length });
}
