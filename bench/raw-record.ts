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
import type { Backend } from './peers/backend.js';
import { loadChurnkitEngine } from './peers/churnkit.js';
import { measureSingleRowRounds, type SingleRowPlan, type SingleScorer } from './single-row.js';
import { roundFigure, type RoundFigure } from './stats.js';

export interface RawRecordRow {
  readonly label: string;
  /** False for the encoder alone: it returns no probability, so it has no parity or speed-up. */
  readonly scoresRecords: boolean;
  readonly p50Ns: RoundFigure;
  readonly p99Ns: RoundFigure;
}

export type RawRecordFigures =
  | { readonly measured: true; readonly model: string; readonly inputs: number; readonly records: number; readonly rows: RawRecordRow[] }
  | { readonly measured: false; readonly reason: string };

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
): Promise<RawRecordFigures> {
  const split = await readEcommerceSplit();
  if (!split) return { measured: false, reason: `the datasets folder ${ecommerceFolder()} is absent` };

  const simd = await loadChurnkitEngine('churnkit-simd');
  const trained = await train(split.train, { engine: simd, target: ECOMMERCE_TARGET, id: ECOMMERCE_ID });
  const file = trained.file;
  const records = split.test;
  const encode = compileEncoder(trained.model.featureSpec);
  const inputs = file.architecture.inputs;
  const encoded = new Float32Array(inputs);

  const paths: ScoringPath[] = [];
  const modelPath = (label: string, model: ChurnModel): void => {
    paths.push({ label, scoresRecords: true, scorer: { mode: 'sync', predictOne: (record) => model.predict(record) }, activate: async () => {}, dispose: () => model.dispose() });
  };
  modelPath('churnkit ChurnModel.predict(record), wasm SIMD', trained.model);
  modelPath('churnkit ChurnModel.predict(record), wasm scalar', loadModel(await loadChurnkitEngine('churnkit-scalar'), file));
  modelPath('churnkit ChurnModel.predict(record), pure-TS fallback', loadModel(await loadChurnkitEngine('churnkit-js'), file));
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
    paths.map((path) => ({ id: path.label, scorer: path.scorer, items: records, activate: path.activate })),
    options.singleRow,
    options.rounds,
    (round, p50NsById) => options.log(`raw-record round ${round}/${options.rounds}: churnkit p50 ${((p50NsById.get(paths[0]!.label) ?? 0) / 1000).toFixed(3)} µs`),
  );
  for (const path of paths) path.dispose();

  return {
    measured: true,
    model: `default ${file.architecture.kind} ${file.architecture.layers.map((layer) => layer.units).join('-')} trained on ecommerce train.csv`,
    inputs,
    records: records.length,
    rows: paths.map((path) => ({ label: path.label, scoresRecords: path.scoresRecords, p50Ns: roundFigure(measured.get(path.label)!.p50Ns), p99Ns: roundFigure(measured.get(path.label)!.p99Ns) })),
  };
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
