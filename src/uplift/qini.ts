/**
 * Qini and uplift-at-k curves: how well a score ranks customers by what acting on them
 * changes, measured on logged decisions whose arm (treated or held out) was random.
 *
 * Customers are sorted by score, best first. For the top share x of them:
 * - the **Qini curve** is q(x) = R_T(x)/N_T − R_C(x)/N_C: customers retained in the treated
 *   part of the top x, minus those in its held-out part, each per customer of its whole arm
 *   (Radcliffe 2007, scaled by the arm totals so no small count is ever divided by). q(1) is
 *   the average uplift; q(x) is the extra retention, as a share of all customers, from acting
 *   on the top x only (if the arms are balanced alike across the ranking, as randomisation
 *   makes them);
 * - **uplift at k** is the retention of the treated minus that of the held-out customers
 *   within the top k: the uplift of the customers one would act on.
 *
 * The **Qini coefficient** is the area between the curve and the straight line of random
 * targeting, from (0, 0) to (1, q(1)). Tied scores are one block: the curve runs straight
 * across it (the average over every order of the tie), so a constant score is exactly random.
 * Rows may carry weights (bootstrap multiplicities). Runtime-neutral: the HTML report draws
 * these numbers.
 */

/** One logged decision, scored. */
export interface ScoredOutcome {
  /** The score ranking customers (predicted uplift); higher first. NaN counts as lowest. */
  score: number;
  treated: boolean;
  retained: boolean;
}

/** The curves on a fixed grid of targeted shares. */
export interface UpliftCurves {
  /** Share of customers targeted, best first: 0, 0.01, ..., 1 by default. */
  share: number[];
  /** Qini curve q(x) at each share. */
  qini: number[];
  /** Uplift among the top share (null where an arm has nobody yet). */
  upliftAtK: (number | null)[];
  /** Area between the Qini curve and random targeting. */
  coefficient: number;
}

/** Shares 0, 1/steps, ..., 1. */
export function shareGrid(steps = 100): number[] {
  return Array.from({ length: steps + 1 }, (_, index) => index / steps);
}

/**
 * Rows sorted by score (best first) and cut into blocks of equal score: the ranking, which
 * the bootstrap reuses with new weights.
 */
export interface Ranking {
  /** Row indices, best score first. */
  order: Uint32Array;
  /** End (exclusive, into `order`) of each block of tied scores. */
  blockEnds: Uint32Array;
}

/**
 * Ranks rows by score, best first, with tied scores in one block.
 *
 * @example
 * const ranking = rankByScore(rows.map((row) => row.score));
 */
export function rankByScore(scores: readonly number[]): Ranking {
  const key = (index: number) => (Number.isNaN(scores[index]!) ? -Infinity : scores[index]!);
  const order = Uint32Array.from(scores.keys()).sort((a, b) => key(b) - key(a) || a - b);
  const ends: number[] = [];
  for (let position = 1; position <= order.length; position++) {
    if (position === order.length || key(order[position]!) !== key(order[position - 1]!)) ends.push(position);
  }
  return { order, blockEnds: Uint32Array.from(ends) };
}

/**
 * The Qini and uplift-at-k curves and the Qini coefficient of scored outcomes. `weights`
 * (one per row, e.g. bootstrap multiplicities) default to 1; `ranking` can be passed when
 * already computed for these scores.
 *
 * @example
 * const curves = upliftCurves(rows);
 * curves.coefficient; // > 0: the score finds the customers the action changes
 */
export function upliftCurves(
  rows: readonly ScoredOutcome[],
  options: { weights?: ArrayLike<number>; ranking?: Ranking; grid?: readonly number[] } = {},
): UpliftCurves {
  const ranking = options.ranking ?? rankByScore(rows.map((row) => row.score));
  const weights = options.weights;
  const grid = options.grid ?? shareGrid();
  const blocks = ranking.blockEnds.length;
  // Cumulative weights at each block end (index 0 = before any row).
  const total = new Float64Array(blocks + 1);
  const treated = new Float64Array(blocks + 1);
  const control = new Float64Array(blocks + 1);
  const treatedRetained = new Float64Array(blocks + 1);
  const controlRetained = new Float64Array(blocks + 1);
  let position = 0;
  for (let block = 0; block < blocks; block++) {
    let n = total[block]!, nT = treated[block]!, nC = control[block]!, rT = treatedRetained[block]!, rC = controlRetained[block]!;
    for (const end = ranking.blockEnds[block]!; position < end; position++) {
      const index = ranking.order[position]!;
      const weight = weights === undefined ? 1 : weights[index]!;
      const row = rows[index]!;
      n += weight;
      if (row.treated) {
        nT += weight;
        if (row.retained) rT += weight;
      } else {
        nC += weight;
        if (row.retained) rC += weight;
      }
    }
    total[block + 1] = n;
    treated[block + 1] = nT;
    control[block + 1] = nC;
    treatedRetained[block + 1] = rT;
    controlRetained[block + 1] = rC;
  }
  const allRows = total[blocks]!;
  const allTreated = treated[blocks]!;
  const allControl = control[blocks]!;
  const qiniAtBlock = (block: number) =>
    (allTreated > 0 ? treatedRetained[block]! / allTreated : 0) - (allControl > 0 ? controlRetained[block]! / allControl : 0);

  // Area under the piecewise-linear curve through the block ends, minus the random line's.
  let area = 0;
  for (let block = 0; block < blocks; block++) {
    const width = allRows > 0 ? (total[block + 1]! - total[block]!) / allRows : 0;
    area += (width * (qiniAtBlock(block) + qiniAtBlock(block + 1))) / 2;
  }
  const overall = qiniAtBlock(blocks);
  const coefficient = area - overall / 2;

  const qini: number[] = [];
  const upliftAtK: (number | null)[] = [];
  let block = 0;
  for (const share of grid) {
    const target = share * allRows;
    while (block < blocks - 1 && total[block + 1]! < target) block++;
    const start = total[block]!;
    const span = (total[block + 1] ?? start) - start;
    const within = span > 0 ? Math.min(1, Math.max(0, (target - start) / span)) : 0;
    const at = (values: Float64Array) => values[block]! + within * ((values[block + 1] ?? values[block]!) - values[block]!);
    const nT = at(treated);
    const nC = at(control);
    const rT = at(treatedRetained);
    const rC = at(controlRetained);
    qini.push((allTreated > 0 ? rT / allTreated : 0) - (allControl > 0 ? rC / allControl : 0));
    upliftAtK.push(nT > 0 && nC > 0 ? rT / nT - rC / nC : null);
  }
  return { share: [...grid], qini, upliftAtK, coefficient };
}
