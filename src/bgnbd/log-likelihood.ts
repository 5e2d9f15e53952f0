/**
 * The BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), prepared once
 * for a set of customers so that the optimiser's thousands of evaluations only
 * do the work that depends on the parameters.
 */
import { InputError } from '../errors.js';
import { logGamma } from './log-gamma.js';
import type { BgNbdParameters } from './parameters.js';

/** The per-customer numbers the likelihood needs (time unit: weeks). */
export interface PurchaseHistory {
  x: number;
  tx: number;
  T: number;
}

/** Customers grouped for fast evaluation: the gamma terms depend only on x, of which there are few. */
export interface PreparedHistories {
  readonly customers: number;
  /** Distinct repeat counts; `xIndex[i]` points into it. */
  readonly distinctX: Float64Array;
  readonly xIndex: Uint32Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
}

/**
 * Throws `InputError` (naming the row when given, and the field) unless x is a whole number
 * >= 0, 0 <= t_x <= T, and t_x > 0 when x > 0.
 */
export function assertHistory(history: PurchaseHistory, row?: number): void {
  const where = row === undefined ? {} : { row };
  if (!(Number.isInteger(history.x) && history.x >= 0)) {
    throw new InputError('BGNBD_HISTORY', `x (repeat purchases) must be a whole number >= 0, got ${String(history.x)}`, { ...where, field: 'x' });
  }
  if (!(Number.isFinite(history.T) && history.T >= 0)) {
    const message = `T (weeks since first purchase) must be a finite number >= 0, got ${String(history.T)}`;
    throw new InputError('BGNBD_HISTORY', message, { ...where, field: 'T' });
  }
  if (!(Number.isFinite(history.tx) && history.tx >= 0 && history.tx <= history.T)) {
    throw new InputError('BGNBD_HISTORY', `t_x must be between 0 and T (${history.T}), got ${String(history.tx)}`, { ...where, field: 'tx' });
  }
  if (history.x > 0 && history.tx === 0) {
    throw new InputError('BGNBD_HISTORY', `t_x must be > 0 when there are repeat purchases (x = ${history.x})`, { ...where, field: 'tx' });
  }
}

/** Validates the histories (x a whole number ≥ 0, 0 ≤ t_x ≤ T, t_x > 0 when x > 0) and lays them out for evaluation. */
export function prepareHistories(histories: readonly PurchaseHistory[]): PreparedHistories {
  const xValues = new Map<number, number>();
  const xIndex = new Uint32Array(histories.length);
  const tx = new Float64Array(histories.length);
  const T = new Float64Array(histories.length);
  histories.forEach((history, row) => {
    assertHistory(history, row + 1);
    let index = xValues.get(history.x);
    if (index === undefined) {
      index = xValues.size;
      xValues.set(history.x, index);
    }
    xIndex[row] = index;
    tx[row] = history.tx;
    T[row] = history.T;
  });
  return { customers: histories.length, distinctX: Float64Array.from(xValues.keys()), xIndex, tx, T };
}

/**
 * Total log-likelihood of the histories under the parameters; -Infinity when
 * the parameters are outside the model (never NaN), so an optimiser simply
 * treats such points as worst.
 *
 * @example
 * const ll = logLikelihood({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, prepareHistories([{ x: 2, tx: 30.4, T: 38.9 }]));
 */
export function logLikelihood(parameters: BgNbdParameters, prepared: PreparedHistories): number {
  const { r, alpha, a, b } = parameters;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && Number.isFinite(r + alpha + a + b))) return -Infinity;
  const distinct = prepared.distinctX.length;
  // Per distinct x: everything but the (alpha + T) and (alpha + t_x) powers.
  const shapeTerm = new Float64Array(distinct);
  const dropoutTerm = new Float64Array(distinct);
  const exponent = new Float64Array(distinct);
  const logGammaR = logGamma(r);
  const logGammaB = logGamma(b);
  const logGammaAB = logGamma(a + b);
  const logA = Math.log(a);
  const rLogAlpha = r * Math.log(alpha);
  for (let k = 0; k < distinct; k++) {
    const x = prepared.distinctX[k]!;
    shapeTerm[k] = logGamma(r + x) - logGammaR + rLogAlpha + logGammaAB + logGamma(b + x) - logGammaB - logGamma(a + b + x);
    dropoutTerm[k] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
    exponent[k] = r + x;
  }
  let total = 0;
  const { xIndex, tx, T } = prepared;
  for (let i = 0; i < prepared.customers; i++) {
    const k = xIndex[i]!;
    const stillAlive = -exponent[k]! * Math.log(alpha + T[i]!);
    const droppedOut = dropoutTerm[k]! - exponent[k]! * Math.log(alpha + tx[i]!);
    // log(e^alive + e^dropped), computed from the larger term so neither underflows.
    total += shapeTerm[k]! + (stillAlive >= droppedOut
      ? stillAlive + Math.log1p(Math.exp(droppedOut - stillAlive))
      : droppedOut + Math.log1p(Math.exp(stillAlive - droppedOut)));
  }
  return Number.isNaN(total) ? -Infinity : total;
}
