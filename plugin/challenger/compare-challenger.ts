/**
 * The champion-and-challenger comparison: on the customers both models scored and whose
 * outcome has since arrived, which model predicted churn better. Each customer counts once
 * per pair of versions, with the last scores logged before their outcome (the prediction
 * closest to what happened); churned = not retained. The same customers, the same moments:
 * the two models' figures differ only by the models.
 */
import { brierScore } from '../../src/metrics/brier.js';
import { logLoss } from '../../src/metrics/log-loss.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import type { LoggedChallengerScore } from '../store/types.js';

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
  /** Customers with both scores and an outcome: what the figures are computed on. */
  customers: number;
  /** Of them, churned (not retained). */
  churned: number;
  /** Customers scored by both whose outcome has not arrived yet. */
  awaitingOutcome: number;
  /** Requests scored by both (a customer may have several). */
  scoredRequests: number;
  /** Which model did better on each figure (`tie` when equal or undefined). */
  better: { auc: Winner; logLoss: Winner; brier: Winner };
}

export type Winner = 'champion' | 'challenger' | 'tie';

/** Every pair of versions in the log, the most recently scored pair first. */
export interface ChallengerReport {
  comparisons: ChallengerComparison[];
}

interface PairState {
  champion: string;
  challenger: string;
  latest: number;
  scoredRequests: number;
  /** Per customer: their last scores before the outcome, and the outcome (null while none). */
  customers: Map<string, { champion: number; challenger: number; churned: 0 | 1 | null }>;
}

/**
 * Reads the whole log (customer by customer, in time order, as the stores give it) into one
 * comparison per (champion, challenger) pair of versions.
 *
 * @example
 * const report = await compareChallenger(store.challengerLog!());
 * report.comparisons[0]; // { champion: { version: 'v1', auc: 0.81, ... }, challenger: { version: 'v2', auc: 0.84, ... }, customers: 412, ... }
 */
export async function compareChallenger(log: AsyncIterable<LoggedChallengerScore>): Promise<ChallengerReport> {
  const pairs = new Map<string, PairState>();
  for await (const { score, outcome } of log) {
    const key = JSON.stringify([score.championVersion, score.challengerVersion]);
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = { champion: score.championVersion, challenger: score.challengerVersion, latest: score.ts, scoredRequests: 0, customers: new Map() };
      pairs.set(key, pair);
    }
    pair.latest = Math.max(pair.latest, score.ts);
    pair.scoredRequests++;
    const earlier = pair.customers.get(score.customerId);
    // A score with an outcome after it replaces one without; among those with one, the later wins (the log is in time order).
    if (earlier === undefined || outcome !== null || earlier.churned === null) {
      pair.customers.set(score.customerId, {
        champion: score.championProbability,
        challenger: score.challengerProbability,
        churned: outcome === null ? (earlier?.churned ?? null) : outcome.retained ? 0 : 1,
      });
    }
  }
  const comparisons = [...pairs.values()].sort((a, b) => b.latest - a.latest).map(compare);
  return { comparisons };
}

function compare(pair: PairState): ChallengerComparison {
  const labels: number[] = [];
  const championScores: number[] = [];
  const challengerScores: number[] = [];
  let awaitingOutcome = 0;
  for (const customer of pair.customers.values()) {
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
