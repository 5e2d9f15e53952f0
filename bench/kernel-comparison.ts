/**
 * The kernel comparison: every backend gets the same weights, passes the parity check,
 * then is timed single-row (each backend in a process of its own: isolated-timer.ts) and in
 * batches (in this process). Backends take turns within each round (block by block, call
 * series by call series), so a machine that changes speed mid-run shifts every backend
 * alike; each figure is the median over rounds with its range.
 */
import type { Backend, BackendId, LoadedNetwork } from './peers/backend.js';
import { BATCH_SIZES, measureBatchRound } from './batch-throughput.js';
import { checkParity, type ParityResult } from './parity.js';
import { isolatedTimer, type IsolatedTimer } from './isolated-timer.js';
import { measureSingleRowRounds, type SingleRowPlan, type SingleRowRounds } from './single-row.js';
import { roundFigure, type RoundFigure } from './stats.js';
import { seededRows, type Workload } from './workloads.js';

export interface KernelComparisonPlan {
  readonly rounds: number;
  readonly singleRow: SingleRowPlan;
  /** Turns per batch size per round, and the minimum time of each backend's call series per turn. */
  readonly batch: { readonly turns: number; readonly minimumNsPerTurn: number };
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

  const batchMatrices = new Map(workloads.map((workload) => [workload.id, seededRows(LARGEST_BATCH, workload.shape.inputs, 13)]));

  const singleRowRounds = new Map<string, SingleRowRounds>();
  for (const workload of workloads) {
    const timers: IsolatedTimer[] = [];
    try {
      for (const backend of backends) timers.push(await isolatedTimer(backend.id, workload.id));
      const measured = await measureSingleRowRounds(timers, plan.singleRow, plan.rounds, (round, p50NsById) => {
        const line = backends.map((backend) => `${backend.id} ${((p50NsById.get(key(workload, backend)) ?? 0) / 1000).toFixed(3)}`).join(', ');
        plan.log(`single-row ${workload.id} round ${round}/${plan.rounds}, p50 µs: ${line}`);
      });
      for (const [id, rounds] of measured) singleRowRounds.set(id, rounds);
    } finally {
      for (const timer of timers) timer.close();
    }
  }

  const batchRounds = new Map<string, number[]>();
  for (let round = 1; round <= plan.rounds; round++) {
    for (const workload of workloads) {
      const contestants = backends.map((backend) => ({ id: key(workload, backend), network: loaded.get(key(workload, backend))!, activate: () => backend.activate() }));
      for (const batchSize of BATCH_SIZES) {
        const rates = await measureBatchRound(contestants, batchMatrices.get(workload.id)!, workload.shape.inputs, batchSize, plan.batch);
        for (const [id, rowsPerSecond] of rates) batchRounds.set(`${id}/${batchSize}`, [...(batchRounds.get(`${id}/${batchSize}`) ?? []), rowsPerSecond]);
      }
      plan.log(`batch ${workload.id} round ${round}/${plan.rounds}: done`);
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
      singleRow[workload.id]![backend.id] = { p50Ns: roundFigure(rounds.p50Ns), p99Ns: roundFigure(rounds.p99Ns), callsPerBlock: rounds.callsPerBlock };
      const perSize: Record<string, RoundFigure> = {};
      for (const batchSize of BATCH_SIZES) perSize[String(batchSize)] = roundFigure(batchRounds.get(`${key(workload, backend)}/${batchSize}`)!);
      batchRowsPerSecond[workload.id]![backend.id] = perSize;
    }
  }
  return { parity, singleRow, batchRowsPerSecond };
}
