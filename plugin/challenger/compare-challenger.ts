/**
 * The champion-and-challenger comparison: on the customers both models scored whose churn
 * label is known, which model predicted churn better. Labels come from the store's event log
 * with the churn definition retraining uses (churned = no order within the horizon after the
 * score; churn-labels.ts), so every scored customer is compared once their horizon has
 * passed, not only those with an outcome sent to `POST /outcomes`. Each customer counts once
 * per pair of versions, with their latest labelled scores. The same customers, the same
 * moments: the two models' figures differ only by the models.
 */
import { brierScore } from '../../src/metrics/brier.js';
import { logLoss } from '../../src/metrics/log-loss.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import type { ChurnEvent } from '../../src/events/types.js';
import type { LoggedChallengerScore } from '../store/types.js';
import { churnLabeller } from './churn-labels.js';
import { DEFAULT_CHURN_DEFINITION, type ChurnDefinition } from '../churn-definition.js';
import { nextTurn } from '../next-turn.js';

/** Scores read between two turns of the event loop, as churn-labels.ts does for events: the storefront keeps answering. */
const SCORES_PER_TURN = 5000;

/** One model's figures on the compared customers. */
export interface ModelFigures {
  version: string;
  /** ROC AUC; null while the compared customers are all of one class. */
  auc: number | null;
  /** null while no customer has an outcome. */
  logLoss: number | null;
  brier: number | null;
}

/** A champion version against a challenger version. */
export interface ChallengerComparison {
  champion: ModelFigures;
  challenger: ModelFigures;
  /** Customers with both scores and a churn label: what the figures are computed on. */
  customers: number;
  /** Of them, churned (no active event within the horizon after the score). */
  churned: number;
  /** Customers scored by both whose horizon has not passed yet in the log (no label yet). */
  awaitingOutcome: number;
  /** Requests scored by both (a customer may have several). */
  scoredRequests: number;
  /** Which model did better on each figure (`tie` when equal or undefined). */
  better: { auc: Winner; logLoss: Winner; brier: Winner };
}

export type Winner = 'champion' | 'challenger' | 'tie';

/** Every pair of versions in the log, the most recently scored pair first, and how they were labelled. */
export interface ChallengerReport {
  labels: { source: 'event log'; horizon: string; gap: string; active: string[]; /** The log is complete up to here (ISO); null for an empty log, or when no score was logged (the event log is then not read). */ completeUntil: string | null };
  comparisons: ChallengerComparison[];
}

interface PairState {
  champion: string;
  challenger: string;
  latest: number;
  scoredRequests: number;
  /** Per customer, their scores in time order. */
  customers: Map<string, { ts: number; champion: number; challenger: number }[]>;
}

interface LabelledPair {
  champion: string;
  challenger: string;
  scoredRequests: number;
  /** Per customer: their latest labelled scores, or their label null while none is labelled. */
  customers: { champion: number; challenger: number; churned: 0 | 1 | null }[];
}

/**
 * Reads the whole challenger log (customer by customer, in time order, as the stores give it)
 * into one comparison per (champion, challenger) pair of versions, labelling the scores from
 * the event log; `eventLog` is called only when there are scores to label.
 *
 * @example
 * const report = await compareChallenger(store.challengerLog!(), () => store.eventLog!());
 * report.comparisons[0]; // { champion: { version: 'v1', auc: 0.81, ... }, challenger: { version: 'v2', auc: 0.84, ... }, customers: 412, ... }
 */
export async function compareChallenger(
  log: AsyncIterable<LoggedChallengerScore>,
  eventLog: () => AsyncIterable<readonly ChurnEvent[]>,
  definition: ChurnDefinition = DEFAULT_CHURN_DEFINITION,
): Promise<ChallengerReport> {
  const pairs = new Map<string, PairState>();
  const scored = new Set<string>();
  let sinceTurn = 0;
  for await (const { score } of log) {
    if (++sinceTurn === SCORES_PER_TURN) {
      sinceTurn = 0;
      await nextTurn();
    }
    const key = JSON.stringify([score.championVersion, score.challengerVersion]);
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = { champion: score.championVersion, challenger: score.challengerVersion, latest: score.ts, scoredRequests: 0, customers: new Map() };
      pairs.set(key, pair);
    }
    pair.latest = Math.max(pair.latest, score.ts);
    pair.scoredRequests++;
    scored.add(score.customerId);
    const scores = pair.customers.get(score.customerId);
    const entry = { ts: score.ts, champion: score.championProbability, challenger: score.challengerProbability };
    if (scores === undefined) pair.customers.set(score.customerId, [entry]);
    else scores.push(entry);
  }
  // Nothing to label: the event log, the costly read, is not opened.
  if (scored.size === 0) return { labels: labelsOf(definition, null), comparisons: [] };
  const labeller = await churnLabeller(eventLog(), scored, definition);
  const label = (pair: PairState): LabelledPair => ({
    champion: pair.champion,
    challenger: pair.challenger,
    scoredRequests: pair.scoredRequests,
    customers: [...pair.customers].map(([customerId, scores]) => {
      // The latest score whose horizon has passed: the prediction closest to what is known.
      for (let i = scores.length - 1; i >= 0; i--) {
        const churned = labeller.label(customerId, scores[i]!.ts);
        if (churned !== null) return { champion: scores[i]!.champion, challenger: scores[i]!.challenger, churned };
      }
      return { champion: 0, challenger: 0, churned: null };
    }),
  });
  return {
    labels: labelsOf(definition, labeller.completeUntil),
    comparisons: [...pairs.values()].sort((a, b) => b.latest - a.latest).map((pair) => compare(label(pair))),
  };
}

function labelsOf(definition: ChurnDefinition, completeUntil: number | null): ChallengerReport['labels'] {
  return {
    source: 'event log',
    horizon: definition.horizon,
    gap: definition.gap,
    active: [...definition.active],
    completeUntil: completeUntil === null ? null : new Date(completeUntil).toISOString(),
  };
}

function compare(pair: LabelledPair): ChallengerComparison {
  const labels: number[] = [];
  const championScores: number[] = [];
  const challengerScores: number[] = [];
  let awaitingOutcome = 0;
  for (const customer of pair.customers) {
    if (customer.churned === null) {
      awaitingOutcome++;
      continue;
    }
    labels.push(customer.churned);
    championScores.push(customer.champion);
    challengerScores.push(customer.challenger);
  }
  const champion = figures(pair.champion, labels, championScores);
  const challenger = figures(pair.challenger, labels, challengerScores);
  return {
    champion,
    challenger,
    customers: labels.length,
    churned: labels.reduce((sum, label) => sum + label, 0),
    awaitingOutcome,
    scoredRequests: pair.scoredRequests,
    better: {
      auc: winner(champion.auc, challenger.auc, 'higher'),
      logLoss: winner(champion.logLoss, challenger.logLoss, 'lower'),
      brier: winner(champion.brier, challenger.brier, 'lower'),
    },
  };
}

function figures(version: string, labels: number[], scores: number[]): ModelFigures {
  if (labels.length === 0) return { version, auc: null, logLoss: null, brier: null };
  const bothClasses = labels.includes(0) && labels.includes(1);
  return { version, auc: bothClasses ? rocAuc(labels, scores) : null, logLoss: logLoss(labels, scores), brier: brierScore(labels, scores) };
}

function winner(champion: number | null, challenger: number | null, better: 'higher' | 'lower'): Winner {
  if (champion === null || challenger === null || champion === challenger) return 'tie';
  return (challenger > champion) === (better === 'higher') ? 'challenger' : 'champion';
}
