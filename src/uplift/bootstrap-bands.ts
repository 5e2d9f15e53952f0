/**
 * Confidence bands for uplift curves by the bootstrap: the logged decisions are resampled
 * with replacement, the treated and the held-out customers separately (each arm keeps its
 * size, as the randomisation fixed it), and the curves recomputed on each resample with the
 * scores held fixed. The band at each share is the 2.5 % and 97.5 % percentile of the
 * resampled curves: it says how much the evaluation data leaves open, not how much another
 * training run would move the model.
 */
import { createRandom } from '../train/random.js';
import { quantileOfSorted } from '../model/quantile.js';
import { rankByScore, shareGrid, upliftCurves, type ScoredOutcome, type UpliftCurves } from './qini.js';

/** A low and high bound. */
export interface Band {
  low: number;
  high: number;
}

/** The curves with their bootstrap bands. */
export interface UpliftEvaluation extends UpliftCurves {
  rows: number;
  treated: number;
  control: number;
  bands: {
    level: number;
    resamples: number;
    qini: Band[];
    /** null where some resample had an empty arm at that share. */
    upliftAtK: (Band | null)[];
    coefficient: Band;
  };
}

export interface BootstrapOptions {
  /** Resamples (default 200). */
  resamples?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
  /** Coverage of the bands (default 0.95). */
  level?: number;
  grid?: readonly number[];
}

/**
 * Qini and uplift-at-k curves, the Qini coefficient, and their bootstrap bands.
 *
 * @example
 * const evaluation = evaluateUplift(rows, { resamples: 200, seed: 1 });
 * evaluation.coefficient;              // the point estimate
 * evaluation.bands.coefficient;        // { low, high }, 95 %
 */
export function evaluateUplift(rows: readonly ScoredOutcome[], options: BootstrapOptions = {}): UpliftEvaluation {
  const resamples = options.resamples ?? 200;
  const level = options.level ?? 0.95;
  const grid = options.grid ?? shareGrid();
  const ranking = rankByScore(rows.map((row) => row.score));
  const point = upliftCurves(rows, { ranking, grid });
  const treatedRows: number[] = [];
  const controlRows: number[] = [];
  rows.forEach((row, index) => (row.treated ? treatedRows : controlRows).push(index));

  const random = createRandom(options.seed ?? 1);
  const weights = new Float64Array(rows.length);
  const qiniDraws = grid.map(() => new Float64Array(resamples));
  const upliftDraws = grid.map(() => new Float64Array(resamples));
  const coefficientDraws = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample++) {
    weights.fill(0);
    for (const arm of [treatedRows, controlRows]) {
      for (let draw = 0; draw < arm.length; draw++) weights[arm[random.nextInt(arm.length)]!]! += 1;
    }
    const curves = upliftCurves(rows, { weights, ranking, grid });
    coefficientDraws[resample] = curves.coefficient;
    curves.qini.forEach((value, index) => (qiniDraws[index]![resample] = value));
    curves.upliftAtK.forEach((value, index) => (upliftDraws[index]![resample] = value ?? Number.NaN));
  }
  const tail = (1 - level) / 2;
  const band = (draws: Float64Array): Band | null => {
    if (draws.some(Number.isNaN)) return null;
    const sorted = Float64Array.from(draws).sort();
    return { low: quantileOfSorted(sorted, tail), high: quantileOfSorted(sorted, 1 - tail) };
  };
  return {
    ...point,
    rows: rows.length,
    treated: treatedRows.length,
    control: controlRows.length,
    bands: {
      level,
      resamples,
      qini: qiniDraws.map((draws) => band(draws) ?? { low: Number.NaN, high: Number.NaN }),
      upliftAtK: upliftDraws.map(band),
      coefficient: band(coefficientDraws)!,
    },
  };
}
