/** What one scheduled retrain reports (the `retrain.onRun` hook, the metrics, `plugin.retrain()`). */
import type { RetrainSummary } from '../../src/retrain/retrain-summary.js';

export interface RetrainRun {
  /** When the run started and how long it took, seconds. */
  startedAt: string;
  seconds: number;
  /** `promote`: the challenger beat the serving model by `minGain` ROC AUC out of time; `keep`: it did not. */
  decision: 'promote' | 'keep';
  /** Whether the challenger now serves (a `promote` whose swap was refused says why in `onError`). */
  promoted: boolean;
  champion: { version: string; auc: number };
  challenger: { version: string; auc: number };
  /** Challenger ROC AUC minus champion ROC AUC, and the margin it had to reach. */
  gain: number;
  minGain: number;
  /** The run's folder (challenger, reports, summary), when `retrain.outDir` keeps them. */
  folder: string | null;
  /** One line for a log, e.g. "retrain: promoted mlp-2026… (ROC AUC 0.9232) over mlp-2026… (0.8588): gain +0.0644 ≥ 0.005, in 42.8 s". */
  message: string;
  /** `churnkit retrain --json`'s whole summary: cut-offs, rows, both models' metrics. */
  summary: RetrainSummary;
}
