import { describe, expect, it } from 'vitest';
import { inProcessTimer, measureSingleRowRounds, singleRowItems, type BlockTimer, type Contestant } from '../../bench/single-row.js';
import { benchWorkloads } from '../../bench/workloads.js';
import { EngineError } from '../../src/errors.js';

const plan = { blocks: 4, targetBlockNs: 1, warmupCalls: 3 };

function recordingContestant(id: string, calls: string[], mode: 'sync' | 'async' = 'sync'): BlockTimer {
  return inProcessTimer(recordingScorer(id, calls, mode));
}

function recordingScorer(id: string, calls: string[], mode: 'sync' | 'async'): Contestant<number> {
  const items = [1, 2, 3];
  const score = (item: number): number => {
    calls.push(`${id}${item}`);
    return item / 10;
  };
  return {
    id,
    items,
    activate: async () => void calls.push(`activate ${id}`),
    scorer: mode === 'sync' ? { mode, predictOne: score } : { mode, predictOne: async (item) => score(item) },
  };
}

describe('single-row timing', () => {
  it('gives every contestant one p50 and one p99 per round, and a block size within 10..1000 calls', async () => {
    const calls: string[] = [];
    const results = await measureSingleRowRounds([recordingContestant('a', calls), recordingContestant('b', calls, 'async')], plan, 3);
    for (const id of ['a', 'b']) {
      const figures = results.get(id)!;
      expect(figures.p50Ns).toHaveLength(3);
      expect(figures.p99Ns).toHaveLength(3);
      expect(figures.callsPerBlock).toBeGreaterThanOrEqual(10);
      expect(figures.callsPerBlock).toBeLessThanOrEqual(1000);
      figures.p50Ns.forEach((p50, round) => expect(figures.p99Ns[round]!).toBeGreaterThanOrEqual(p50));
    }
  });

  it('alternates contestants block by block, rotating who goes first, activating each before every series of calls', async () => {
    const calls: string[] = [];
    await measureSingleRowRounds([recordingContestant('a', calls), recordingContestant('b', calls)], plan, 1);
    const activations = calls.filter((call) => call.startsWith('activate'));
    // Warm-up and calibration (two series each), then per block a settling and a timed
    // series: a b, then b a, so each follows the other equally often.
    expect(activations.slice(4)).toEqual(['a', 'a', 'b', 'b', 'b', 'b', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'a', 'a'].map((id) => `activate ${id}`));
  });

  it('feeds a fresh item on every call, cycling through all of them', async () => {
    const calls: string[] = [];
    await measureSingleRowRounds([recordingContestant('a', calls)], { ...plan, warmupCalls: 0 }, 1);
    const scored = calls.filter((call) => !call.startsWith('activate'));
    for (let index = 1; index < scored.length; index++) expect(scored[index]).not.toBe(scored[index - 1]);
    expect(new Set(scored)).toEqual(new Set(['a1', 'a2', 'a3']));
  });

  it('refuses a backend that returns NaN', async () => {
    const broken: Contestant<number> = { id: 'nan', items: [1], activate: async () => {}, scorer: { mode: 'sync', predictOne: () => Number.NaN } };
    await expect(measureSingleRowRounds([inProcessTimer(broken)], plan, 1)).rejects.toThrow(EngineError);
  });

  it('gives every process the same distinct single-row inputs, as views of one matrix', () => {
    const [lr] = benchWorkloads();
    const rows = singleRowItems(lr!);
    expect(rows).toHaveLength(4096);
    expect(rows.every((row) => row.length === lr!.shape.inputs && row.buffer === rows[0]!.buffer)).toBe(true);
    expect([...rows[1]!]).not.toEqual([...rows[0]!]);
    expect(singleRowItems(lr!).map((row) => [...row])).toEqual(rows.map((row) => [...row]));
  });
});
