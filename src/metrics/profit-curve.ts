import { OptionsError } from '../errors.js';
import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels } from './scored-labels.js';
import { campaignProfit, checkEconomics, type RetentionEconomics } from './threshold-choice.js';

/** Expected campaign profit when every customer scoring at least each threshold is contacted. */
export interface ProfitCurve {
  /** 0, 1/steps, ..., 1. */
  thresholds: number[];
  profit: number[];
  /** Customers contacted at each threshold. */
  flagged: number[];
}

/**
 * Profit against threshold on an even grid, with `campaignProfit`'s formula
 * (the curve `thresholdByProfit` maximises over the exact distinct scores).
 *
 * @example
 * profitCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { actionCost: 10, retainedValue: 100, successRate: 0.5 }, { steps: 2 });
 * // { thresholds: [0, 0.5, 1], profit: [60, 40, 0], flagged: [4, 1, 0] }
 */
export function profitCurve(labels: ArrayLike<number>, scores: ArrayLike<number>, economics: RetentionEconomics, options: { steps?: number } = {}): ProfitCurve {
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 1) throw new OptionsError('OPTIONS_BAD_VALUE', `profit curve steps is ${steps}; expected an integer >= 1`);
  checkEconomics(economics);
  checkScoredLabels('profit curve', labels, scores);
  const curve = binaryCurve(labels, scores);
  const result: ProfitCurve = { thresholds: [], profit: [], flagged: [] };
  // Thresholds rise while the curve's scores fall, so one index walks back once.
  let k = curve.thresholds.length - 1;
  for (let step = 0; step <= steps; step++) {
    const threshold = step / steps;
    while (k >= 0 && curve.thresholds[k]! < threshold) k--;
    const tp = k >= 0 ? curve.truePositives[k]! : 0;
    const fp = k >= 0 ? curve.falsePositives[k]! : 0;
    result.thresholds.push(threshold);
    result.profit.push(campaignProfit(tp, fp, economics));
    result.flagged.push(tp + fp);
  }
  return result;
}
