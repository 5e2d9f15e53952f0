/**
 * The challenger's rules pinned one by one, on the modules themselves: the slot that scores
 * samples after the answer (challenger.ts), the churn labels from the event log
 * (churn-labels.ts) and the comparison of the two models (compare-challenger.ts). Small
 * hand-built logs, fixed instants, no storefront.
 */
import { describe, expect, it } from 'vitest';
import { createChallenger, requireChallengerLog } from '../../plugin/challenger/challenger.js';
import { churnLabeller, storeEventLog } from '../../plugin/challenger/churn-labels.js';
import { compareChallenger } from '../../plugin/challenger/compare-challenger.js';
import type { ServingModel } from '../../plugin/serving-model.js';
import type { ChallengerScore, ChurnStore, LoggedChallengerScore } from '../../plugin/store/types.js';
import type { ChurnEvent } from '../../src/events/types.js';

const DAY = 86_400_000;
/** A UTC midnight: the scores below are made at T0 + a whole number of days. */
const T0 = Date.UTC(2026, 0, 1);

/** A model answering `predict` with the record's `p` (or throwing when `p` is 'fail'). */
function fakeModel(version: string, shift = 0): ServingModel {
  return {
    version,
    predict(record: Record<string, unknown>) {
      if (record.p === 'fail') throw new Error(`${version} cannot score`);
      return (record.p as number) + shift;
    },
  } as unknown as ServingModel;
}

/** A store keeping what the challenger writes, or failing each write when `fail`. */
function loggingStore(fail = false) {
  const written: ChallengerScore[][] = [];
  const store = {
    async recordChallengerScores(scores: ChallengerScore[]) {
      await Promise.resolve();
      if (fail) throw new Error('disk full');
      written.push(scores);
    },
  } as unknown as ChurnStore;
  return { store, written };
}

function slot(sample = 1, fail = false) {
  const { store, written } = loggingStore(fail);
  const errors: unknown[] = [];
  const challenger = createChallenger(sample, async () => store, (error) => errors.push(error));
  return { challenger, written, errors };
}

const champion = fakeModel('champ-v1');

describe('the challenger slot', () => {
  it('logs every sample waiting at once, up to far more than one (1 in 1 sampled, five before any flush: five scores)', async () => {
    const { challenger, written } = slot();
    challenger.set(fakeModel('chal-v2', 0.1));
    for (let i = 0; i < 5; i++) challenger.observe(champion, { p: i / 10 }, i / 10, `c${i}`, T0 + i);
    await challenger.settle();
    const scores = written.flat();
    expect(scores.map((score) => score.customerId)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    // The challenger answers p + 0.1, the champion's probability is logged as it was served.
    expect(scores[2]).toEqual({ customerId: 'c2', ts: T0 + 2, championVersion: 'champ-v1', championProbability: 0.2, challengerVersion: 'chal-v2', challengerProbability: 0.2 + 0.1 });
  });

  it('settle() scores what is waiting now and resolves only once the store has the scores', async () => {
    const { challenger, written } = slot();
    challenger.set(fakeModel('chal-v2'));
    challenger.observe(champion, { p: 0.3 }, 0.3, 'c1', T0);
    // No tick passes before settle(): the sample is still waiting, and settle() must score and write it.
    await challenger.settle();
    expect(written).toHaveLength(1);
  });

  it('counts a sample the challenger fails to score, and still scores the rest of the batch', async () => {
    const { challenger, written, errors } = slot();
    challenger.set(fakeModel('chal-v2'));
    challenger.observe(champion, { p: 'fail' }, 0.3, 'c1', T0);
    challenger.observe(champion, { p: 0.4 }, 0.4, 'c2', T0);
    await challenger.settle();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('chal-v2 cannot score');
    expect(written.flat().map((score) => score.customerId)).toEqual(['c2']);
  });

  it('writes nothing when every sample of a batch failed (no empty write)', async () => {
    const { store } = loggingStore();
    const calls: ChallengerScore[][] = [];
    const spy = { ...store, recordChallengerScores: async (scores: ChallengerScore[]) => void calls.push(scores) } as ChurnStore;
    const challenger = createChallenger(1, async () => spy, () => {});
    challenger.set(fakeModel('chal-v2'));
    challenger.observe(champion, { p: 'fail' }, 0.3, 'c1', T0);
    await challenger.settle();
    expect(calls).toEqual([]);
  });

  it('counts a failed log write', async () => {
    const { challenger, errors } = slot(1, true);
    challenger.set(fakeModel('chal-v2'));
    challenger.observe(champion, { p: 0.3 }, 0.3, 'c1', T0);
    await challenger.settle();
    expect(errors.map((error) => (error as Error).message)).toEqual(['disk full']);
  });

  it('samples nothing while there is no challenger, and scores nothing (nor fails) for samples waiting when it is cleared', async () => {
    const { challenger, written, errors } = slot();
    // No challenger yet: this request is not sampled, so setting one afterwards scores nothing.
    challenger.observe(champion, { p: 0.3 }, 0.3, 'before', T0);
    challenger.set(fakeModel('chal-v2'));
    await challenger.settle();
    expect(written).toEqual([]);
    // Sampled, then the challenger is cleared before the batch runs: dropped quietly, not a failure.
    challenger.observe(champion, { p: 0.3 }, 0.3, 'cleared', T0);
    challenger.set(null);
    await challenger.settle();
    expect(written).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses a store that logs challenger scores but cannot read them back (no challengerLog)', () => {
    const writeOnly = { recordChallengerScores: async () => {} } as unknown as ChurnStore;
    expect(() => requireChallengerLog(writeOnly)).toThrow(expect.objectContaining({ code: 'STORE_NO_CHALLENGER_LOG' }));
    const readOnly = { challengerLog: async function* () {} } as unknown as ChurnStore;
    expect(() => requireChallengerLog(readOnly)).toThrow(expect.objectContaining({ code: 'STORE_NO_CHALLENGER_LOG' }));
  });
});

async function* batches(...events: ChurnEvent[][]): AsyncIterable<readonly ChurnEvent[]> {
  for (const batch of events) yield batch;
}

const order = (customerId: string, day: number): ChurnEvent => ({ customerId, ts: T0 + day * DAY, type: 'order', value: 10 });
const visit = (customerId: string, day: number): ChurnEvent => ({ customerId, ts: T0 + day * DAY, type: 'session_start' });

describe('churn labels from the event log', () => {
  it('labels a score whose window ends exactly where the complete log ends', async () => {
    // Latest event at day 90 + 1h: the log is complete up to day 90, which is where [T0, T0 + 90d) ends.
    const labeller = await churnLabeller(batches([{ ...visit('x', 90), ts: T0 + 90 * DAY + 3_600_000 }]), new Set(['c1']));
    expect(labeller.completeUntil).toBe(T0 + 90 * DAY);
    expect(labeller.label('c1', T0)).toBe(1);
    // One millisecond later, the window ends past the complete log: not labelled yet.
    expect(labeller.label('c1', T0 + 1)).toBeNull();
  });

  it('counts an order at the very instant of the score as activity (the window is [ts + gap, ts + horizon))', async () => {
    const labeller = await churnLabeller(batches([order('c1', 0), visit('x', 200)]), new Set(['c1']));
    expect(labeller.label('c1', T0)).toBe(0);
    // Scored a millisecond after that order: it no longer counts, and nothing else follows.
    expect(labeller.label('c1', T0 + 1)).toBe(1);
  });

  it('finds activity whatever order the log gives the events in', async () => {
    // c1 orders on day 200 and on day 10, in that order in the log: the day-10 order is inside [0, 90d).
    const labeller = await churnLabeller(batches([order('c1', 200)], [order('c1', 10)]), new Set(['c1']));
    expect(labeller.label('c1', T0)).toBe(0);
  });

  it('opens the window only after the gap, and still closes it at ts + horizon', async () => {
    // gap 7d, horizon 30d: the window is [day 7, day 30).
    const definition = { horizon: '30d', gap: '7d', active: ['order'] };
    const log = () => batches([order('early', 3), order('inside', 7), order('late', 30), visit('x', 100)]);
    const labeller = await churnLabeller(log(), new Set(['early', 'inside', 'late']), definition);
    // An order on day 3 is within the gap: it does not count.
    expect(labeller.label('early', T0)).toBe(1);
    // On day 7, the first instant of the window: active.
    expect(labeller.label('inside', T0)).toBe(0);
    // On day 30, the first instant after it: churned.
    expect(labeller.label('late', T0)).toBe(1);
  });

  it('names why a store without an event log cannot label', () => {
    expect(() => storeEventLog({})).toThrow(expect.objectContaining({ code: 'STORE_NO_EVENT_LOG' }));
  });
});

async function* challengerLog(scores: ChallengerScore[]): AsyncIterable<LoggedChallengerScore> {
  for (const score of scores) yield { score, outcome: null };
}

function score(customerId: string, day: number, champion: number, challenger: number, versions: [string, string] = ['v1', 'v2']): ChallengerScore {
  return { customerId, ts: T0 + day * DAY, championVersion: versions[0], championProbability: champion, challengerVersion: versions[1], challengerProbability: challenger };
}

describe('comparing champion and challenger', () => {
  it('compares each customer on their latest labelled scores, not earlier ones', async () => {
    // c1 scored on day 0 and day 5, c2 on day 0; nobody orders; the log is complete up to day 100,
    // so both of c1's scores are labelled (churned) and the day-5 one is used.
    const scores = [score('c1', 0, 0.1, 0.2), score('c1', 5, 0.7, 0.9), score('c2', 0, 0.4, 0.4)];
    const report = await compareChallenger(challengerLog(scores), () => batches([visit('x', 100)]));
    const [comparison] = report.comparisons;
    expect(comparison).toMatchObject({ customers: 2, churned: 2, scoredRequests: 3, awaitingOutcome: 0 });
    // Both churned: Brier is the mean of (1 - p)^2. Champion (0.3^2 + 0.6^2) / 2 = 0.225; challenger (0.1^2 + 0.6^2) / 2 = 0.185.
    expect(comparison!.champion.brier).toBeCloseTo(0.225, 12);
    expect(comparison!.challenger.brier).toBeCloseTo(0.185, 12);
    expect(comparison!.better.brier).toBe('challenger');
  });

  it('keeps one comparison per (champion, challenger) pair, the most recently scored pair first', async () => {
    // v1 against v2 until day 3, then v1 against v3 from day 4 (another challenger, same champion).
    const scores = [score('c1', 1, 0.5, 0.5), score('c1', 2, 0.5, 0.5), score('c1', 3, 0.5, 0.5), score('c2', 4, 0.5, 0.6, ['v1', 'v3'])];
    const report = await compareChallenger(challengerLog(scores), () => batches([visit('x', 200)]));
    expect(report.comparisons.map((comparison) => [comparison.champion.version, comparison.challenger.version, comparison.scoredRequests])).toEqual([
      ['v1', 'v3', 1],
      ['v1', 'v2', 3],
    ]);
  });

  it('orders pairs by their latest score even when the log gives their earliest first', async () => {
    // The log reads customer by customer: c1 (v1/v2 on day 1 and day 9) before c2 (v1/v3 on day 5).
    // v1/v2 was scored last (day 9), so it comes first.
    const scores = [score('c1', 1, 0.5, 0.5), score('c1', 9, 0.5, 0.5), score('c2', 5, 0.5, 0.5, ['v1', 'v3'])];
    const report = await compareChallenger(challengerLog(scores), () => batches([visit('x', 200)]));
    expect(report.comparisons.map((comparison) => comparison.challenger.version)).toEqual(['v2', 'v3']);
  });
});
