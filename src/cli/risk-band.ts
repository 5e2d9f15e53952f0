/** How urgent a customer is, for people deciding whom to contact. */
export type RiskBand = 'low' | 'medium' | 'high';

/**
 * Risk band of a churn probability, relative to the model's decision threshold t
 * (chosen at training time on validation data): `high` at or above t (the
 * customers the model flags), `medium` from t/2 up to t (at least half as likely
 * to churn as a flagged customer: worth watching), `low` below t/2. Bands follow
 * the threshold rather than fixed cut-offs because a model's probabilities are
 * only meaningful against the churn rate it was trained on.
 *
 * @example
 * riskBand(0.42, 0.35); // 'high'
 * riskBand(0.20, 0.35); // 'medium'
 * riskBand(0.05, 0.35); // 'low'
 */
export function riskBand(probability: number, threshold: number): RiskBand {
  if (probability >= threshold) return 'high';
  if (probability >= threshold / 2) return 'medium';
  return 'low';
}
