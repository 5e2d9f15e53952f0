/**
 * Raw-record scoring as the plugin calls it: `ChurnModel.predict(record)` on the default
 * model (`train()` with default options on the ecommerce train set), one test-set record per
 * call, preprocessing included. For comparison, the same encoder feeding the peers the same
 * trained weights, and the encoder alone. Paths take turns block by block (single-row.ts).
 */
import { EngineError } from '../src/errors.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import { compileEncoder } from '../src/model/encode-record.js';
import { loadModel, type ChurnModel } from '../src/model/churn-model.js';
import { decodeWeights } from '../src/model/model-file.js';
import { train } from '../src/train/train.js';
import { ECOMMERCE_ID, ECOMMERCE_TARGET, ecommerceFolder, readEcommerceSplit } from './ecommerce-dataset.js';
import { PARITY_TOLERANCE } from './parity.js';
import type { DefaultModelFixture } from './cold-start.js';
import type { Backend } from './peers/backend.js';
import { loadChurnkitEngine } from './peers/churnkit.js';
import { inProcessTimer, measureSingleRowRounds, type SingleRowPlan, type SingleScorer } from './single-row.js';
import { roundFigure, type RoundFigure } from './stats.js';

export interface RawRecordRow {
  readonly label: string;
  /** False for the encoder alone: it returns no probability, so it has no parity or speed-up. */
  readonly scoresRecords: boolean;
  readonly p50Ns: RoundFigure;
  readonly p99Ns: RoundFigure;
}

export type RawRecordFigures =
  | {
      readonly measured: true;
      readonly model: string;
      readonly inputs: number;
      readonly records: number;
      readonly rows: RawRecordRow[];
      /** engine label → raw records per second through `ChurnModel.predictBatch(records)`, all test records per call. */
      readonly batchRecordsPerSecond: Record<string, RoundFigure>;
    }
  | { readonly measured: false; readonly reason: string };

/** The figures, and the trained default model for the cold-start section. */
export interface RawRecordOutcome {
  readonly figures: RawRecordFigures;
  readonly defaultModel: DefaultModelFixture | undefined;
}

interface ScoringPath {
  readonly label: string;
  readonly scoresRecords: boolean;
  readonly scorer: SingleScorer<RawRecord>;
  readonly activate: () => Promise<void>;
  readonly dispose: () => void;
}

/** Peers that get the encoder's output; the rest add nothing the kernel tables do not show. */
const PEERS_WITH_ENCODER = ['plain-js', 'tfjs-wasm', 'ort-node'];

export async function measureRawRecordScoring(
  peers: Backend[],
  options: { rounds: number; singleRow: SingleRowPlan; log: (line: string) => void },
): Promise<RawRecordOutcome> {
  const split = await readEcommerceSplit();
  if (!split) return { figures: { measured: false, reason: `the datasets folder ${ecommerceFolder()} is absent` }, defaultModel: undefined };

  const simd = await loadChurnkitEngine('churnkit-simd');
  const trained = await train(split.train, { engine: simd, target: ECOMMERCE_TARGET, id: ECOMMERCE_ID });
  const file = trained.file;
  const records = split.test;
  const encode = compileEncoder(trained.model.featureSpec);
  const inputs = file.architecture.inputs;
  const encoded = new Float32Array(inputs);

  const paths: ScoringPath[] = [];
  const models: { label: string; model: ChurnModel }[] = [];
  const modelPath = (engineLabel: string, model: ChurnModel): void => {
    models.push({ label: engineLabel, model });
    paths.push({ label: `churnkit ChurnModel.predict(record), ${engineLabel}`, scoresRecords: true, scorer: { mode: 'sync', predictOne: (record) => model.predict(record) }, activate: async () => {}, dispose: () => model.dispose() });
  };
  modelPath('wasm SIMD', trained.model);
  modelPath('wasm scalar', loadModel(await loadChurnkitEngine('churnkit-scalar'), file));
  modelPath('pure-TS fallback', loadModel(await loadChurnkitEngine('churnkit-js'), file));
  paths.push({
    label: 'record encoding alone (no network)',
    scoresRecords: false,
    scorer: { mode: 'sync', predictOne: (record) => (encode(record, encoded, 0), encoded[0]!) },
    activate: async () => {},
    dispose: () => {},
  });
  for (const peer of peers.filter((backend) => PEERS_WITH_ENCODER.includes(backend.id))) {
    await peer.activate();
    const network = await peer.load(file.architecture, decodeWeights(file), { maxBatch: 1 });
    const scorer: SingleScorer<RawRecord> = network.mode === 'sync'
      ? { mode: 'sync', predictOne: (record) => (encode(record, encoded, 0), network.predictOne(encoded)) }
      : { mode: 'async', predictOne: (record) => (encode(record, encoded, 0), network.predictOne(encoded)) };
    paths.push({ label: `encoder + ${peer.label}`, scoresRecords: true, scorer, activate: () => peer.activate(), dispose: () => network.dispose() });
  }

  await checkRawRecordParity(paths, records);
  options.log(`raw-record parity: ${paths.length} paths agree within ${PARITY_TOLERANCE}`);

  const measured = await measureSingleRowRounds(
    paths.map((path) => inProcessTimer({ id: path.label, scorer: path.scorer, items: records, activate: path.activate })),
    options.singleRow,
    options.rounds,
    (round, p50NsById) => options.log(`raw-record round ${round}/${options.rounds}: churnkit p50 ${((p50NsById.get(paths[0]!.label) ?? 0) / 1000).toFixed(3)} µs`),
  );
  const batchRecordsPerSecond = await measureRecordBatches(models, records, options);
  for (const path of paths) path.dispose();

  const figures: RawRecordFigures = {
    measured: true,
    model: `default ${file.architecture.kind} ${file.architecture.layers.map((layer) => layer.units).join('-')} trained on ecommerce train.csv`,
    inputs,
    records: records.length,
    rows: paths.map((path) => ({ label: path.label, scoresRecords: path.scoresRecords, p50Ns: roundFigure(measured.get(path.label)!.p50Ns), p99Ns: roundFigure(measured.get(path.label)!.p99Ns) })),
    batchRecordsPerSecond,
  };
  return { figures, defaultModel: { file, record: records[0]! } };
}

/** Records per second through `predictBatch(records)`, engines taking turns within each round. */
async function measureRecordBatches(
  models: readonly { label: string; model: ChurnModel }[],
  records: readonly RawRecord[],
  options: { rounds: number; log: (line: string) => void },
): Promise<Record<string, RoundFigure>> {
  const rounds = new Map(models.map(({ label }) => [label, [] as number[]]));
  const minimumNs = 50e6;
  for (let round = 1; round <= options.rounds; round++) {
    for (const { label, model } of models) {
      let calls = 0;
      let checksum = 0;
      let elapsed = 0;
      const start = process.hrtime.bigint();
      while (calls === 0 || elapsed < minimumNs) {
        checksum += model.predictBatch(records)[records.length - 1]!;
        calls++;
        elapsed = Number(process.hrtime.bigint() - start);
      }
      if (!Number.isFinite(checksum)) throw new EngineError('BENCH_OUTPUT', `${label}: predictBatch(records) returned a non-finite probability`);
      rounds.get(label)!.push((calls * records.length) / (elapsed / 1e9));
    }
  }
  options.log('raw-record batches: done');
  return Object.fromEntries([...rounds].map(([label, values]) => [label, roundFigure(values)]));
}

/** Every path that produces a probability must agree with the SIMD model on the first records. */
async function checkRawRecordParity(paths: readonly ScoringPath[], records: readonly RawRecord[]): Promise<void> {
  const [reference, ...others] = paths;
  for (const record of records.slice(0, 64)) {
    const expected = reference!.scorer.mode === 'sync' ? reference!.scorer.predictOne(record) : await reference!.scorer.predictOne(record);
    for (const path of others.filter((candidate) => candidate.scoresRecords)) {
      const actual = path.scorer.mode === 'sync' ? path.scorer.predictOne(record) : await path.scorer.predictOne(record);
      if (!(Math.abs(actual - expected) <= PARITY_TOLERANCE)) {
        throw new EngineError('BENCH_PARITY', `raw-record parity failed for "${path.label}" on test record ${records.indexOf(record) + 1}: expected ${expected} (churnkit SIMD) within ${PARITY_TOLERANCE}, got ${actual}`);
      }
    }
  }
}
