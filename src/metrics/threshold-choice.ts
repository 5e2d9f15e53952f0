import { OptionsError } from '../errors.js';
import { binaryCurve } from './binary-curve.js';
import { ratesFromCounts } from './confusion.js';
import { checkScoredLabels } from './scored-labels.js';

/** The threshold (flag rows with score >= threshold) that scored best, and what it achieved. */
export interface ThresholdChoice {
  threshold: number;
  f1: number;
  /** Expected profit at this threshold; only set by `thresholdByProfit`. */
  profit?: number;
  /** Rows flagged at this threshold. */
  flagged: number;
}

/**
 * The threshold with the highest F1 among the distinct scores. Ties go to the
 * higher threshold (fewer customers contacted for the same F1).
 *
 * @example
 * thresholdByMaxF1([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // { threshold: 0.35, f1: 0.8, flagged: 3 }
 */
export function thresholdByMaxF1(labels: ArrayLike<number>, scores: ArrayLike<number>): ThresholdChoice {
  checkScoredLabels('threshold by F1', labels, scores);
  const curve = binaryCurve(labels, scores);
  let best: ThresholdChoice = { threshold: curve.thresholds[0]!, f1: -1, flagged: 0 };
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const fp = curve.falsePositives[k]!;
    const { f1 } = ratesFromCounts(tp, fp, curve.negatives - fp, curve.positives - tp);
    if (f1 > best.f1) best = { threshold: curve.thresholds[k]!, f1, flagged: tp + fp };
  }
  return best;
}

/** The economics of a retention campaign, per customer. */
export interface RetentionEconomics {
  /** What the action (coupon, call, email) costs for each customer it is sent to. */
  actionCost: number;
  /** What keeping a customer who would have churned is worth. */
  retainedValue: number;
  /** Share of targeted churners the action actually keeps, in [0, 1]. */
  successRate: number;
}

/**
 * The threshold that maximises expected campaign profit. Every flagged customer
 * (score >= threshold) receives the action, so with TP churners and FP loyal
 * customers flagged:
 *
 *     profit = TP × successRate × retainedValue − (TP + FP) × actionCost
 *
 * Loyal customers bring no gain (they were staying anyway) and cost the action.
 * When no threshold makes money, the answer is to flag nobody: threshold
 * `Infinity`, profit 0.
 *
 * @example
 * thresholdByProfit([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { actionCost: 10, retainedValue: 100, successRate: 0.5 });
 * // { threshold: 0.35, profit: 70, flagged: 3, f1: 0.8 }
 */
export function thresholdByProfit(labels: ArrayLike<number>, scores: ArrayLike<number>, economics: RetentionEconomics): ThresholdChoice {
  checkEconomics(economics);
  checkScoredLabels('threshold by profit', labels, scores);
  const curve = binaryCurve(labels, scores);
  let best: ThresholdChoice = { threshold: Infinity, f1: 0, profit: 0, flagged: 0 };
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const fp = curve.falsePositives[k]!;
    const profit = campaignProfit(tp, fp, economics);
    if (profit > best.profit!) {
      const { f1 } = ratesFromCounts(tp, fp, curve.negatives - fp, curve.positives - tp);
      best = { threshold: curve.thresholds[k]!, f1, profit, flagged: tp + fp };
    }
  }
  return best;
}

/**
 * Expected profit of sending the action to `churnersFlagged` churners and
 * `loyalFlagged` customers who were staying anyway (formula above).
 *
 * @example
 * campaignProfit(2, 1, { actionCost: 10, retainedValue: 100, successRate: 0.5 }); // 70
 */
export function campaignProfit(churnersFlagged: number, loyalFlagged: number, economics: RetentionEconomics): number {
  return churnersFlagged * economics.successRate * economics.retainedValue - (churnersFlagged + loyalFlagged) * economics.actionCost;
}

/** Refuses economics that would make profit meaningless (negative costs, a success rate outside [0, 1]). */
export function checkEconomics(economics: RetentionEconomics): void {
  const { actionCost, retainedValue, successRate } = economics;
  if (!Number.isFinite(actionCost) || actionCost < 0) {
    throw new OptionsError('OPTIONS_ACTION_COST', `actionCost must be a finite number >= 0, got ${String(actionCost)}`);
  }
  if (!Number.isFinite(retainedValue) || retainedValue < 0) {
    throw new OptionsError('OPTIONS_RETAINED_VALUE', `retainedValue must be a finite number >= 0, got ${String(retainedValue)}`);
  }
  if (!Number.isFinite(successRate) || successRate < 0 || successRate > 1) {
    throw new OptionsError('OPTIONS_SUCCESS_RATE', `successRate must be a number in [0, 1], got ${String(successRate)}`);
  }
}
