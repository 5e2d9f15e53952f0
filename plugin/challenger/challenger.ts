/**
 * A challenger model beside the serving one (the champion): a sample of the requests the
 * champion scores for identified customers is scored again by the challenger after the
 * answer (`after-response-queue.ts`), and both scores are logged in the store
 * (`recordChallengerScores`). The answer is always the champion's; the challenger never
 * delays it, and a challenger that fails to score or log is counted, never served.
 */
import { ChurnkitError } from '../../src/errors.js';
import { AfterResponseQueue, type SampledScores } from '../after-response-queue.js';
import type { RawRecord, ServingModel } from '../serving-model.js';
import type { ChallengerScore, ChurnStore } from '../store/types.js';

export interface Challenger {
  /** The challenger now, or null. */
  current(): ServingModel | null;
  /** Sets (or, with null, clears) the challenger; samples already waiting are scored by the new one. */
  set(model: ServingModel | null): void;
  /** On the request path: the champion's score of an identified customer, offered to the sample. */
  observe(champion: ServingModel, record: RawRecord, probability: number, customerId: string, ts: number): void;
  /** Scores and logs what is waiting, and resolves once every log write so far has settled (reports, tests, closing). */
  settle(): Promise<void>;
}

/** Sampled requests waiting at once; more are dropped while the challenger falls behind. */
const QUEUE_CAPACITY = 1024;

/**
 * A challenger slot that scores a `sample` share of the requests (deterministically every
 * 1/sample-th) and logs to the store `logTo` resolves to; `onError` hears of every failure.
 *
 * @example
 * const challenger = createChallenger(0.1, async () => store, (error) => metrics.failOpen.inc({ reason: 'CHALLENGER_ERROR' }));
 * challenger.set(await loadServingModel('challenger.json', loader));
 */
export function createChallenger(sample: number, logTo: () => Promise<ChurnStore>, onError: (error: unknown) => void): Challenger {
  let challenger: ServingModel | null = null;
  const writes = new Set<Promise<void>>();
  const work = (samples: SampledScores, count: number) => {
    const model = challenger;
    if (model === null) return;
    const scores: ChallengerScore[] = [];
    for (let index = 0; index < count; index++) {
      let probability: number;
      try {
        probability = model.predict(samples.record(index));
      } catch (error) {
        onError(error);
        continue;
      }
      scores.push({
        customerId: samples.customerId(index)!,
        ts: samples.ts(index),
        championVersion: samples.model(index).version,
        championProbability: samples.probability(index),
        challengerVersion: model.version,
        challengerProbability: probability,
      });
    }
    if (scores.length === 0) return;
    const write = logTo()
      .then((store) => store.recordChallengerScores!(scores))
      .catch(onError)
      .finally(() => writes.delete(write));
    writes.add(write);
  };
  const queue = new AfterResponseQueue(sample, QUEUE_CAPACITY, work, onError);
  return {
    current: () => challenger,
    set(model) {
      challenger = model;
    },
    observe(champion, record, probability, customerId, ts) {
      if (challenger !== null) queue.offer(champion, record, probability, customerId, ts);
    },
    async settle() {
      queue.flush();
      await Promise.all([...writes]);
    },
  };
}

/**
 * Throws `STORE_NO_CHALLENGER_LOG` for a store without `recordChallengerScores` and
 * `challengerLog` (the edge stores): a challenger whose scores nobody keeps compares nothing.
 *
 * @example
 * requireChallengerLog(await context.backingStore());
 */
export function requireChallengerLog(store: ChurnStore): void {
  if (store.recordChallengerScores === undefined || store.challengerLog === undefined) {
    throw new ChurnkitError('STORE_NO_CHALLENGER_LOG', 'this store keeps no challenger scores (no recordChallengerScores/challengerLog): run a challenger with the SQLite or Redis store');
  }
}
