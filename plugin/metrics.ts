/**
 * What the serving core counts on the request path. An adapter decides where the counts
 * go: the Express plugin exports them to Prometheus (`express/prometheus-metrics.ts`); the
 * fetch handler and the Hono middleware count nothing by default (an edge platform has its
 * own analytics, and every answer already says `status` and, when it failed open, `code`).
 */
import type { Group } from './store/types.js';

export interface ServingMetrics {
  /** Churn probabilities served (routes and per-request assessments). */
  scores: { observe(probability: number): void };
  /** Customers decided on per group: the sizes of treatment and hold-out. */
  groups: { inc(group: Group): void };
  /** Decisions that named an action, by action and group (hold-out ones are would-be). */
  actions: { inc(labels: { action: string; group: Group }): void };
  /** Scores not served because of a store timeout or a scoring error, by reason code. */
  failOpen: { inc(labels: { reason: string }): void };
  /**
   * Decisions the store logged after the request had stopped waiting (`STORE_TIMEOUT`): the
   * shopper was not shown them, yet they count (and, in treatment, are charged).
   */
  lateDecisions: { inc(): void };
}

const ignore = (): void => undefined;

/** Metrics that count nothing. */
export const uncountedMetrics: ServingMetrics = {
  scores: { observe: ignore },
  groups: { inc: ignore },
  actions: { inc: ignore },
  failOpen: { inc: ignore },
  lateDecisions: { inc: ignore },
};
