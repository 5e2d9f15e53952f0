/**
 * Risk bands: how urgent a customer is, for people deciding whom to contact. One definition
 * for every place a band is shown: the CLI's `predict` (scores.csv) and the plugin's
 * assessments (`band`), so a customer at p = 0.43 is in the same band in both.
 */

/** How urgent a customer is. */
export type RiskBand = 'low' | 'medium' | 'high';

/** The probabilities at which the `medium` and `high` bands start. */
export interface BandCutoffs {
  medium: number;
  high: number;
}

/**
 * The default cut-offs of a model with decision threshold t (chosen at training time on
 * validation data): `high` from t (the customers the model flags), `medium` from t/2 (at
 * least half as likely to churn as a flagged customer: worth watching), `low` below t/2.
 * Bands follow the threshold rather than fixed probabilities because a model's
 * probabilities are only meaningful against the churn rate it was trained on.
 *
 * @example
 * modelBandCutoffs(0.434); // { medium: 0.217, high: 0.434 }
 */
export function modelBandCutoffs(threshold: number): BandCutoffs {
  return { medium: threshold / 2, high: threshold };
}

/**
 * The band of a churn probability under the given cut-offs.
 *
 * @example
 * const cutoffs = modelBandCutoffs(0.35);
 * riskBand(0.42, cutoffs); // 'high'
 * riskBand(0.20, cutoffs); // 'medium'
 * riskBand(0.05, cutoffs); // 'low'
 */
export function riskBand(probability: number, cutoffs: BandCutoffs): RiskBand {
  if (probability >= cutoffs.high) return 'high';
  if (probability >= cutoffs.medium) return 'medium';
  return 'low';
}
