/**
 * The Express plugin's Prometheus metrics: the serving core's counts (metrics.ts), the
 * router's requests and latency, and the engine running the model. One registry per plugin
 * instance, so two plugins (or a test's fresh plugin) never collide on metric names.
 */
import type { EngineKind } from '../../src/engine/types.js';
import type { DriftReport } from '../drift/drift-monitor.js';
import type { ServingMetrics } from '../metrics.js';
import type { Group } from '../store/types.js';
import type { Counter, Histogram, Registry } from 'prom-client';
import promClient from './prom-client.js';
import { ScoreHistogram } from './score-histogram.js';

/**
 * Decisions per group, counted in plain numbers on the request path and added to the
 * prom-client counter when it is scraped (its `inc` hashes the labels on every call).
 */
export interface GroupCounter {
  inc(group: Group): void;
}

export interface PrometheusMetrics extends ServingMetrics {
  registry: Registry;
  /** Router requests by route and status code. */
  requests: Counter<'route' | 'status'>;
  /** Router request latency by route, seconds. */
  latency: Histogram<'route'>;
  /** Churn probabilities served (router and req.churn). */
  scores: ScoreHistogram;
  /** Decisions that named an action, by action and group (hold-out ones are would-be). */
  actions: Counter<'action' | 'group'>;
  /** Customers decided on per group: the sizes of treatment and hold-out. */
  groups: GroupCounter;
  /** Scores not served because of a store timeout or a scoring error, by reason code. */
  failOpen: Counter<'reason'>;
  /** Decisions logged after the request had stopped waiting for the store. */
  lateDecisions: Counter;
}

/**
 * Registers the plugin's metrics on `registry`. `engineKind` tells, when scraped, which
 * engine runs the serving model (undefined while none is loaded): the
 * `churnkit_engine_info{kind="wasm-simd"} 1` gauge, so a silent fall-back to the
 * slower pure-TypeScript engine shows on a dashboard. `drift` gives, when scraped, the drift
 * of the serving model's traffic (undefined while none is loaded): the
 * `churnkit_drift_psi{feature="recency_days"}` and `churnkit_score_drift_psi` gauges.
 *
 * @example
 * const metrics = createPrometheusMetrics(new Registry(), () => 'wasm-simd', () => undefined);
 * metrics.failOpen.inc({ reason: 'STORE_TIMEOUT' });
 */
export function createPrometheusMetrics(registry: Registry, engineKind: () => EngineKind | undefined, drift: () => DriftReport | undefined): PrometheusMetrics {
  const registers = [registry];
  registerDriftGauges(registers, drift);
  new promClient.Gauge({
    name: 'churnkit_engine_info',
    help: 'The engine running the serving model (value 1, label kind: wasm-simd, wasm-scalar or js).',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const kind = engineKind();
      if (kind !== undefined) this.set({ kind }, 1);
    },
  });
  return {
    registry,
    requests: new promClient.Counter({
      name: 'churnkit_http_requests_total',
      help: 'Requests to the churnkit router, by route and status code.',
      labelNames: ['route', 'status'],
      registers,
    }),
    latency: new promClient.Histogram({
      name: 'churnkit_http_request_duration_seconds',
      help: 'Latency of churnkit router requests, by route.',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    scores: new ScoreHistogram(registry, 'churnkit_churn_probability', 'Distribution of churn probabilities served.', [
      0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]),
    actions: new promClient.Counter({
      name: 'churnkit_actions_total',
      help: 'Decisions naming an action, by action and group (hold-out decisions are what would have been issued).',
      labelNames: ['action', 'group'],
      registers,
    }),
    groups: groupCounter(registers),
    failOpen: new promClient.Counter({
      name: 'churnkit_fail_open_total',
      help: 'Scores not served (fail-open) because of a store timeout or a scoring error, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    lateDecisions: new promClient.Counter({
      name: 'churnkit_late_decisions_total',
      help: 'Decisions the store logged after the page had stopped waiting for it (STORE_TIMEOUT): not shown to the shopper, yet counted and, in treatment, charged. Growing: raise storeTimeoutMs above the store p99.',
      registers,
    }),
  };
}

/**
 * The PSI gauges, set from one drift report per scrape. A PSI appears once the window holds
 * enough customers (`drift.minObservations`, more for a column of many categories); until
 * then, and for a model without a reference distribution, only the window's size is
 * exported: the PSI gauges have no sample.
 */
function registerDriftGauges(registers: Registry[], drift: () => DriftReport | undefined): void {
  new promClient.Gauge({
    name: 'churnkit_drift_window_customers',
    help: 'Scored customers in the drift window of the serving model (the PSI gauges are computed over them).',
    registers,
    collect() {
      this.set(drift()?.observations ?? 0);
    },
  });
  new promClient.Gauge({
    name: 'churnkit_drift_psi',
    help: 'Population stability index of each input column of the serving model against its training data (< 0.1 stable, 0.1-0.25 watch, > 0.25 act).',
    labelNames: ['feature'],
    registers,
    collect() {
      this.reset();
      for (const entry of drift()?.features ?? []) if (entry.psi !== null) this.set({ feature: entry.feature }, entry.psi);
    },
  });
  new promClient.Gauge({
    name: 'churnkit_score_drift_psi',
    help: 'Population stability index of the churn probabilities served against those of the training data.',
    registers,
    collect() {
      const psi = drift()?.score?.psi;
      // No sample while nothing is measured: prom-client's reset() of a gauge without labels
      // leaves a 0, which a dashboard or an alert would read as "no drift".
      if (psi != null) this.set(psi);
      else this.remove();
    },
  });
}

function groupCounter(registers: Registry[]): GroupCounter {
  const pending: Record<Group, number> = { treatment: 0, holdout: 0 };
  // Held by the registries it registers on; scraping runs `collect` first.
  new promClient.Counter({
    name: 'churnkit_decisions_by_group_total',
    help: 'Policy decisions by group: treatment and hold-out sizes.',
    labelNames: ['group'],
    registers,
    collect() {
      for (const group of ['treatment', 'holdout'] as const) {
        if (pending[group] > 0) this.inc({ group }, pending[group]);
        pending[group] = 0;
      }
    },
  });
  return {
    inc(group) {
      pending[group]++;
    },
  };
}
