/**
 * What a retrain run reports: `churnkit retrain --json` prints it and writes it as
 * retrain.json, and the plugin's scheduled retrain hands it to `retrain.onRun` (RetrainRun's
 * `summary`). It lives here, beside the retrain, because the package's declarations
 * reference it and the CLI's files are not in the package.
 */
import type { EvaluationSummary } from '../metrics/evaluation-summary.js';

/** The summary `--json` prints and `retrain.json` holds. */
export interface RetrainSummary {
  store: string;
  events: number;
  customers: number;
  churn: { horizon: string; gap: string; active: string[] };
  until: string;
  training: { cutoff: string; rows: number; churnRate: number }[];
  evaluation: { cutoff: string; labelWindow: [string, string]; rows: number; churnRate: number };
  champion: { file: string; version: string; metrics: EvaluationSummary };
  challenger: { file: string; version: string; metrics: EvaluationSummary };
  /** Challenger ROC AUC minus champion ROC AUC. */
  gain: number;
  minGain: number;
  decision: 'promote' | 'keep';
  /** Where the challenger was promoted (empty when kept, or when no --promote-* was given). */
  promotedTo: string[];
  seconds: number;
}
