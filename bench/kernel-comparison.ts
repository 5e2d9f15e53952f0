/**
 * The in-process comparison: every backend gets the same weights, passes the parity check,
 * then is timed single-row and in batches. Backends alternate A B A B … within each round,
 * so a machine that changes speed mid-run shifts every backend alike; each figure is the
 * median over rounds with its range.
 */
import type { Backend, BackendId, LoadedNetwork } from './peers/backend.js';
import { BATCH_SIZES, measureBatchThroughput } from './batch-throughput.js';
import { checkParity, type ParityResult } from './parity.js';
import { measureSingleRow, rowViews, type SingleRowPlan } from './single-row.js';
import { roundFigure, type RoundFigure } from './stats.js';
import { seededRows, type Workload } from './workloads.js';

export interface KernelComparisonPlan {
  readonly rounds: number;
  readonly singleRow: SingleRowPlan;
  /** Minimum time per batch measurement; at least one call is always made. */
  readonly batchMinimumNs: number;
  readonly log: (line: string) => void;
}

export interface SingleRowFigures {
  readonly p50Ns: RoundFigure;
  readonly p99Ns: RoundFigure;
  readonly callsPerBlock: number;
}

export interface KernelComparison {
  readonly parity: ParityResult[];
  /** workload id → backend id → figures. */
  readonly singleRow: Record<string, Partial<Record<BackendId, SingleRowFigures>>>;
  /** workload id → backend id → batch size → rows per second. */
  readonly batchRowsPerSecond: Record<string, Partial<Record<BackendId, Record<string, RoundFigure>>>>;
}

const PARITY_ROWS = 256;
const DISTINCT_SINGLE_ROWS = 4096;
const LARGEST_BATCH = BATCH_SIZES[BATCH_SIZES.length - 1]!;

export async function compareKernels(backends: Backend[], workloads: Workload[], plan: KernelComparisonPlan): Promise<KernelComparison> {
  const parity: ParityResult[] = [];
  const loaded = new Map<string, LoadedNetwork>();
  const key = (workload: Workload, backend: Backend): string => `${workload.id}/${backend.id}`;

  for (const workload of workloads) {
    const parityRows = seededRows(PARITY_ROWS, workload.shape.inputs, 7);
    for (const backend of backends) {
      await backend.activate();
      const network = await backend.load(workload.shape, workload.parameters, { maxBatch: LARGEST_BATCH });
      loaded.set(key(workload, backend), network);
      const result = await checkParity(backend.id, workload.id, network, workload.shape, workload.parameters, parityRows, PARITY_ROWS);
      plan.log(`parity ${workload.id} ${backend.id}: max |Δ| ${result.maxAbsDifference.toExponential(2)}`);
      parity.push(result);
    }
  }

  const singleRowRounds = new Map<string, { p50: number[]; p99: number[]; callsPerBlock: number }>();
  const batchRounds = new Map<string, number[]>();
  const inputsByWorkload = new Map(workloads.map((workload) => [workload.id, {
    singleRows: rowViews(seededRows(DISTINCT_SINGLE_ROWS, workload.shape.inputs, 11), workload.shape.inputs),
    batchMatrix: seededRows(LARGEST_BATCH, workload.shape.inputs, 13),
  }]));

  for (let round = 1; round <= plan.rounds; round++) {
    for (const workload of workloads) {
      const inputs = inputsByWorkload.get(workload.id)!;
      for (const backend of backends) {
        await backend.activate();
        const network = loaded.get(key(workload, backend))!;
        const sample = await measureSingleRow(network, inputs.singleRows, plan.singleRow);
        const entry = singleRowRounds.get(key(workload, backend)) ?? { p50: [], p99: [], callsPerBlock: sample.callsPerBlock };
        entry.p50.push(sample.p50Ns);
        entry.p99.push(sample.p99Ns);
        singleRowRounds.set(key(workload, backend), entry);
        plan.log(`round ${round}/${plan.rounds} single-row ${workload.id} ${backend.id}: p50 ${(sample.p50Ns / 1000).toFixed(3)} µs`);
      }
      for (const batchSize of BATCH_SIZES) {
        for (const backend of backends) {
          await backend.activate();
          const network = loaded.get(key(workload, backend))!;
          const rowsPerSecond = await measureBatchThroughput(network, inputs.batchMatrix, workload.shape.inputs, batchSize, plan.batchMinimumNs);
          const batchKey = `${key(workload, backend)}/${batchSize}`;
          batchRounds.set(batchKey, [...(batchRounds.get(batchKey) ?? []), rowsPerSecond]);
        }
        plan.log(`round ${round}/${plan.rounds} batch ${batchSize} ${workload.id}: done`);
      }
    }
  }

  for (const network of loaded.values()) network.dispose();

  const singleRow: KernelComparison['singleRow'] = {};
  const batchRowsPerSecond: KernelComparison['batchRowsPerSecond'] = {};
  for (const workload of workloads) {
    singleRow[workload.id] = {};
    batchRowsPerSecond[workload.id] = {};
    for (const backend of backends) {
      const rounds = singleRowRounds.get(key(workload, backend))!;
      singleRow[workload.id]![backend.id] = { p50Ns: roundFigure(rounds.p50), p99Ns: roundFigure(rounds.p99), callsPerBlock: rounds.callsPerBlock };
      const perSize: Record<string, RoundFigure> = {};
      for (const batchSize of BATCH_SIZES) perSize[String(batchSize)] = roundFigure(batchRounds.get(`${key(workload, backend)}/${batchSize}`)!);
      batchRowsPerSecond[workload.id]![backend.id] = perSize;
    }
  }
  return { parity, singleRow, batchRowsPerSecond };
}
