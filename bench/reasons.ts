/**
 * `npm run bench:reasons` — what a served reason costs and how faithful the cheap
 * attribution is:
 *   1. faithfulness of the midpoint attribution (1 and 2 gradients) against the reference,
 *      integrated gradients with 32 trapezoid steps, on real rows: the shipped storefront MLP
 *      on its evaluation store (the generator with seed 8, as in models/storefront.md), and
 *      the default MLP trained on the ecommerce-churn train set, on its test rows;
 *   2. the cost of `model.explain(record, { top: 3, method })` against `model.predict(record)`,
 *      through the SDK, in blocks that take turns (A B C, B C A, …) in one run.
 * Writes bench/results/reasons.json and re-renders bench/RESULTS.md.
 *
 * @example
 *   npm run build && npm run bench:reasons
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyEvent, createCustomerState, featuresAt, type CustomerState } from '../src/features/online-state.js';
import { generateEvents } from '../src/generate/index.js';
import { parseModelFile } from '../src/model/model-file.js';
import { explainable, type ExplainableChurnModel, type ExplainOptions } from '../src/explain/explainable.js';
import { loadModel } from '../src/model/churn-model.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import { loadEngine } from '../src/node/index.js';
import { train } from '../src/train/train.js';
import { ECOMMERCE_ID, ECOMMERCE_TARGET, readEcommerceSplit } from './ecommerce-dataset.js';
import { writeReport } from './report.js';
import { repoRoot } from './repo-root.js';
import { machineInfo, writeResults, type BenchResults, type Cell, type TargetResult } from './results-file.js';
import { median, roundFigure, type RoundFigure } from './stats.js';

const REFERENCE: ExplainOptions = { method: 'integrated-gradients', steps: 32 };
const CANDIDATES: { label: string; options: ExplainOptions }[] = [
  { label: 'midpoint, 1 gradient (served)', options: { method: 'midpoint', steps: 1 } },
  { label: 'midpoint, 2 gradients', options: { method: 'midpoint', steps: 2 } },
];
const TOP = 3;

interface Agreement {
  /** Share of the reference's top 3 among the candidate's top 3, averaged. */
  topThreeSet: number;
  /** Rows where the top 3 are the same columns in the same order. */
  topThreeExact: number;
  topOne: number;
  /** Of the reference's top 3, the share the candidate gives the same sign. */
  signs: number;
  /** Spearman's rank correlation of |contribution| over every column, averaged. */
  spearman: number;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!));
  const rank = new Array<number>(values.length);
  order.forEach((column, position) => (rank[column] = position));
  return rank;
}

function agreement(model: ExplainableChurnModel, rows: readonly RawRecord[], options: ExplainOptions): Agreement {
  const sums = { topThreeSet: 0, topThreeExact: 0, topOne: 0, signs: 0, spearman: 0 };
  const columns = model.features.map((feature) => feature.name);
  for (const record of rows) {
    const reference = new Map(model.explain(record, REFERENCE).map((entry) => [entry.feature, entry.contribution]));
    const candidate = new Map(model.explain(record, options).map((entry) => [entry.feature, entry.contribution]));
    const referenceTop = [...reference.keys()].slice(0, TOP);
    const candidateTop = [...candidate.keys()].slice(0, TOP);
    sums.topThreeSet += candidateTop.filter((feature) => referenceTop.includes(feature)).length / TOP;
    sums.topThreeExact += candidateTop.every((feature, i) => feature === referenceTop[i]) ? 1 : 0;
    sums.topOne += candidateTop[0] === referenceTop[0] ? 1 : 0;
    sums.signs += referenceTop.filter((feature) => Math.sign(candidate.get(feature)!) === Math.sign(reference.get(feature)!)).length / TOP;
    const a = ranks(columns.map((name) => reference.get(name)!));
    const b = ranks(columns.map((name) => candidate.get(name)!));
    const n = columns.length;
    sums.spearman += 1 - (6 * a.reduce((sum, rank, i) => sum + (rank - b[i]!) ** 2, 0)) / (n * (n * n - 1));
  }
  const mean = (total: number) => total / rows.length;
  return {
    topThreeSet: mean(sums.topThreeSet),
    topThreeExact: mean(sums.topThreeExact),
    topOne: mean(sums.topOne),
    signs: mean(sums.signs),
    spearman: mean(sums.spearman),
  };
}

/** A timed path: one call per record. */
interface CostPath {
  label: string;
  call: (record: RawRecord) => unknown;
}

/** µs per call of each path, blocks taking turns with the order rotating, median per round. */
function costs(paths: readonly CostPath[], rows: readonly RawRecord[], rounds: number, blocksPerRound: number): Map<string, RoundFigure> {
  const perRound = new Map(paths.map((path) => [path.label, [] as number[]]));
  const block = (path: CostPath): number => {
    const start = process.hrtime.bigint();
    for (const record of rows) path.call(record);
    return Number(process.hrtime.bigint() - start) / 1_000 / rows.length;
  };
  for (const path of paths) for (let warm = 0; warm < 3; warm++) block(path);
  for (let round = 0; round < rounds; round++) {
    const samples = new Map(paths.map((path) => [path.label, [] as number[]]));
    for (let b = 0; b < blocksPerRound; b++) {
      for (let i = 0; i < paths.length; i++) {
        const path = paths[(b + i) % paths.length]!;
        samples.get(path.label)!.push(block(path));
      }
    }
    for (const [label, values] of samples) perRound.get(label)!.push(median(values));
  }
  return new Map([...perRound].map(([label, values]) => [label, roundFigure(values)]));
}

/** The shipped model's evaluation store: the generator with seed 8, features at the card's cut-off. */
function storefrontRows(customers: number): RawRecord[] {
  const cutoff = Date.UTC(2025, 5, 29);
  const states = new Map<string, CustomerState>();
  for (const event of generateEvents({ customers, days: 180, seed: 8, startDate: '2025-01-01' })) {
    if (event.ts >= cutoff) continue;
    const state = states.get(event.customerId) ?? createCustomerState();
    states.set(event.customerId, applyEvent(state, event));
  }
  return [...states.values()].map((state) => featuresAt(state, cutoff));
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const round2 = (value: number) => Math.round(value * 100) / 100;
const range = (figure: RoundFigure) => `${round2(figure.median)} [${round2(figure.min)}–${round2(figure.max)}]`;

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const quick = values.quick!;
  const engine = await loadEngine();
  const log = (line: string) => process.stdout.write(`${line}\n`);

  const models: { name: string; model: ExplainableChurnModel; rows: RawRecord[] }[] = [];
  const shipped = explainable(loadModel(engine, await parseModelFile(readFileSync(join(repoRoot(), 'models', 'storefront.json'), 'utf8'))));
  models.push({ name: 'shipped storefront MLP 47→64→32→1, its evaluation store (generator seed 8)', model: shipped, rows: storefrontRows(quick ? 600 : 3_000) });
  const split = await readEcommerceSplit();
  if (split) {
    const trained = await train(split.train, { engine, target: ECOMMERCE_TARGET, id: ECOMMERCE_ID });
    models.push({ name: 'default MLP 64→32→1 trained on ecommerce-churn train.csv, its test rows (real data)', model: trained.model, rows: [...split.test] });
  }

  const faithfulnessRows: Cell[][] = [];
  const costRows: Cell[][] = [];
  const targets: TargetResult[] = [];
  const raw: Record<string, unknown> = {};
  for (const { name, model, rows } of models) {
    log(`${name}: ${rows.length} rows`);
    for (const candidate of CANDIDATES) {
      const figures = agreement(model, rows, candidate.options);
      raw[`${name} / ${candidate.label}`] = figures;
      faithfulnessRows.push([name, candidate.label, rows.length, round3(figures.topThreeSet), round3(figures.topThreeExact), round3(figures.topOne), round3(figures.signs), round3(figures.spearman)]);
    }
    const timed = rows.slice(0, quick ? 200 : 500);
    const paths: CostPath[] = [
      { label: 'predict(record)', call: (record) => model.predict(record) },
      ...CANDIDATES.map((candidate) => ({ label: `explain, ${candidate.label}`, call: (record: RawRecord) => model.explain(record, { ...candidate.options, top: TOP }) })),
      { label: 'explain, integrated gradients 32 steps (reference)', call: (record: RawRecord) => model.explain(record, { ...REFERENCE, top: TOP }) },
    ];
    const measured = costs(paths, timed, quick ? 3 : 7, quick ? 4 : 10);
    const predict = measured.get('predict(record)')!;
    for (const path of paths) {
      const figure = measured.get(path.label)!;
      const ratios = figure.rounds.map((value, i) => value / predict.rounds[i]!);
      costRows.push([name, path.label, range(figure), range(roundFigure(ratios))]);
      raw[`${name} / cost / ${path.label}`] = figure;
    }
    const served = measured.get(`explain, ${CANDIDATES[0]!.label}`)!;
    const servedRatio = median(served.rounds.map((value, i) => value / predict.rounds[i]!));
    const reference = measured.get('explain, integrated gradients 32 steps (reference)')!;
    targets.push({
      name: `${name}: served reasons (midpoint, 1 gradient) cost / one prediction, same run`,
      measured: round2(servedRatio),
      target: '<= 3x (about a prediction: a gradient is a forward and a backward pass)',
      met: servedRatio <= 3,
    });
    targets.push({
      name: `${name}: integrated gradients 32 steps / served reasons, same run`,
      measured: round2(median(reference.rounds.map((value, i) => value / served.rounds[i]!))),
      target: '>= 10x cheaper',
      met: median(reference.rounds.map((value, i) => value / served.rounds[i]!)) >= 10,
    });
  }

  const results: BenchResults = {
    name: 'reasons',
    title: 'Reasons: the cheap attribution against integrated gradients',
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    tables: [
      {
        title: 'Faithfulness against integrated gradients (32 trapezoid steps), per row, averaged',
        columns: ['model and rows', 'attribution', 'rows', 'top-3 set agreement', 'top-3 same order', 'top-1 agreement', 'sign agreement (reference top 3)', 'Spearman, all columns'],
        rows: faithfulnessRows,
      },
      {
        title: `Cost through the SDK, µs per call (median over rounds [min–max]; blocks take turns), and per prediction in the same round`,
        columns: ['model and rows', 'call', 'µs per call', 'cost / predict(record)'],
        rows: costRows,
      },
    ],
    notes: [
      'The reference is integrated gradients (Sundararajan et al., 2017) from the mean training customer with 32 trapezoid steps (33 gradients), what ChurnModel.explain gives by default. The midpoint attribution is the same integral by the midpoint rule: with one step, one gradient halfway between the baseline and the record, times their distance; the Express plugin serves its reasons this way.',
      'Agreement is per row, then averaged over rows: "top-3 set" is the share of the reference\'s three reasons found among the candidate\'s three; "sign" is the share of the reference\'s three whose contribution has the same sign in the candidate; Spearman is the rank correlation of |contribution| over every raw column.',
      'Cost: model.explain(record, { top: 3, method }) against model.predict(record), both encoding the raw record, on the wasm SIMD engine. Blocks of a few hundred records take turns with the order rotating; a round\'s figure is the median of its blocks, ratios are taken round by round. The machine is shared with other work and runs at two speed levels: compare within a run.',
      `Run mode: ${quick ? 'quick (fewer rows and rounds: a smoke test)' : 'full'}.`,
    ],
    targets,
    raw,
  };
  // A quick run is a smoke test: its figures go to a scratch file, never into RESULTS.md.
  log(`wrote ${writeResults(results, { scratch: quick })}`);
  if (!quick) log(`wrote ${writeReport().markdownFile}`);
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:reasons: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
