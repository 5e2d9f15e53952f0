/**
 * The Prometheus side of scheduled retraining: runs by outcome, and the last run's ROC AUCs
 * of the serving model and the challenger (out of time), so a dashboard shows whether the
 * loop is running and how much each retrain was worth.
 */
import type { Registry } from 'prom-client';
import type { RetrainReports } from '../retrain/retrain-scheduler.node.js';
import promClient from './prom-client.js';

/**
 * Registers `churnkit_retrain_runs_total{outcome="promoted"|"kept"|"failed"}`,
 * `churnkit_retrain_roc_auc{model="champion"|"challenger"}` and
 * `churnkit_retrain_last_run_timestamp_seconds` on `registry`.
 *
 * @example
 * const reports = registerRetrainMetrics(new Registry());
 * reports.failed(new Error('store unreachable'));
 */
export function registerRetrainMetrics(registry: Registry): RetrainReports {
  const registers = [registry];
  const runs = new promClient.Counter({
    name: 'churnkit_retrain_runs_total',
    help: 'Scheduled retrains, by outcome: promoted (the challenger serves now), kept (the serving model stayed) or failed.',
    labelNames: ['outcome'],
    registers,
  });
  const auc = new promClient.Gauge({
    name: 'churnkit_retrain_roc_auc',
    help: 'ROC AUC out of time of the last scheduled retrain, for the model that was serving (champion) and the challenger.',
    labelNames: ['model'],
    registers,
  });
  const lastRun = new promClient.Gauge({
    name: 'churnkit_retrain_last_run_timestamp_seconds',
    help: 'When the last scheduled retrain finished, successfully or not (Unix seconds).',
    registers,
  });
  return {
    finished(run) {
      runs.inc({ outcome: run.promoted ? 'promoted' : 'kept' });
      auc.set({ model: 'champion' }, run.champion.auc);
      auc.set({ model: 'challenger' }, run.challenger.auc);
      lastRun.setToCurrentTime();
    },
    failed() {
      runs.inc({ outcome: 'failed' });
      lastRun.setToCurrentTime();
    },
  };
}
