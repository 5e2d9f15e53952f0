import { OptionsError } from '../errors.js';
import { binaryCurve } from './binary-curve.js';
import { checkScoredLabels, requireBothClasses } from './scored-labels.js';

/** Cumulative gain and lift at evenly spaced shares of the customers, contacted highest score first. */
export interface GainCurve {
  /** Share of all customers contacted: 0, 1/steps, ..., 1. */
  contacted: number[];
  /** Share of all churners among those contacted (cumulative gain). */
  churnersReached: number[];
  /** churnersReached / contacted: how many times better than contacting at random (undefined at 0, so it starts at the first step). */
  lift: (number | null)[];
}

/**
 * Cumulative gain and lift: "contacting the top 20 % of customers by score
 * reaches 70 % of the churners, 3.5 times what a random 20 % would". Between
 * distinct scores the curve is linear, so customers with tied scores are
 * counted fractionally rather than in an arbitrary order.
 *
 * @example
 * gainCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { steps: 4 });
 * // { contacted: [0, 0.25, 0.5, 0.75, 1], churnersReached: [0, 0.5, 0.5, 1, 1], lift: [null, 2, 1, 1.333, 1] }
 */
export function gainCurve(labels: ArrayLike<number>, scores: ArrayLike<number>, options: { steps?: number } = {}): GainCurve {
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 1) throw new OptionsError('OPTIONS_BAD_VALUE', `gain curve steps is ${steps}; expected an integer >= 1`);
  checkScoredLabels('gain curve', labels, scores);
  const curve = binaryCurve(labels, scores);
  requireBothClasses('gain curve', curve.positives, curve.negatives);
  const rows = curve.positives + curve.negatives;
  const result: GainCurve = { contacted: [], churnersReached: [], lift: [] };
  let k = 0;
  let previousFlagged = 0;
  let previousTp = 0;
  for (let step = 0; step <= steps; step++) {
    const flagged = (step / steps) * rows;
    while (k < curve.thresholds.length && curve.truePositives[k]! + curve.falsePositives[k]! < flagged) {
      previousFlagged = curve.truePositives[k]! + curve.falsePositives[k]!;
      previousTp = curve.truePositives[k]!;
      k++;
    }
    let tp = previousTp;
    if (k < curve.thresholds.length) {
      const stepFlagged = curve.truePositives[k]! + curve.falsePositives[k]!;
      tp += ((flagged - previousFlagged) / (stepFlagged - previousFlagged)) * (curve.truePositives[k]! - previousTp);
    }
    const reached = tp / curve.positives;
    result.contacted.push(step / steps);
    result.churnersReached.push(reached);
    result.lift.push(step === 0 ? null : reached / (step / steps));
  }
  return result;
}
