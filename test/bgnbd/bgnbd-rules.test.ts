import { describe, expect, test } from 'vitest';
import { summariseCustomers } from '../../src/bgnbd/customer-summary.js';
import { expectedPurchases } from '../../src/bgnbd/expected-purchases.js';
import { fitBgNbd } from '../../src/bgnbd/fit-bgnbd.js';
import { bgNbdFitProblem } from '../../src/bgnbd/fit-problem.js';
import { scaledHypergeometric2F1 } from '../../src/bgnbd/hypergeometric-2f1.js';
import { logGamma } from '../../src/bgnbd/log-gamma.js';
import { logLikelihood, prepareHistories, type PurchaseHistory } from '../../src/bgnbd/log-likelihood.js';
import { minimise } from '../../src/bgnbd/nelder-mead.js';
import { pAlive } from '../../src/bgnbd/p-alive.js';
import type { BgNbdParameters } from '../../src/bgnbd/parameters.js';
import { InputError, OptionsError } from '../../src/errors.js';

const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const HISTORIES = [
  { x: 0, tx: 0, T: 30 }, { x: 1, tx: 4, T: 30 }, { x: 3, tx: 25, T: 32 }, { x: 0, tx: 0, T: 20 },
  { x: 6, tx: 18, T: 35 }, { x: 2, tx: 30, T: 31 }, { x: 0, tx: 0, T: 38 }, { x: 1, tx: 1, T: 25 },
];

const logBeta = (p: number, q: number) => logGamma(p) + logGamma(q) - logGamma(p + q);

/** Fader, Hardie & Lee (2005), eq. 6, written out term by term (Beta functions, no simplification). */
function paperLikelihood({ r, alpha, a, b }: BgNbdParameters, { x, tx, T }: PurchaseHistory): number {
  const rate = (horizon: number) => Math.exp(logGamma(r + x) + r * Math.log(alpha) - logGamma(r) - (r + x) * Math.log(alpha + horizon));
  const alive = Math.exp(logBeta(a, b + x) - logBeta(a, b)) * rate(T);
  const dropped = x > 0 ? Math.exp(logBeta(a + 1, b + x - 1) - logBeta(a, b)) * rate(tx) : 0;
  return Math.log(alive + dropped);
}

describe('the BG/NBD log-likelihood', () => {
  test('is the sum over customers of eq. 6 of the paper, for customers with and without repeat purchases', () => {
    for (const parameters of [PAPER, { r: 2, alpha: 0.5, a: 3, b: 0.7 }]) {
      const expected = HISTORIES.reduce((sum, history) => sum + paperLikelihood(parameters, history), 0);
      expect(logLikelihood(parameters, prepareHistories(HISTORIES))).toBeCloseTo(expected, 9);
    }
  });

  test('stays finite for a busy customer silent for a long time (the dropout term dominates by e^1900)', () => {
    const value = logLikelihood(PAPER, prepareHistories([{ x: 500, tx: 1, T: 100 }]));
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeCloseTo(paperLikelihoodInLogs(PAPER, { x: 500, tx: 1, T: 100 }), 6);
  });

  test('is -Infinity, never NaN, where the gamma terms overflow (r = 1e306)', () => {
    expect(logLikelihood({ ...PAPER, r: 1e306 }, prepareHistories(HISTORIES))).toBe(-Infinity);
  });

  test('is -Infinity for infinite parameters', () => {
    expect(logLikelihood({ ...PAPER, alpha: Infinity }, prepareHistories(HISTORIES))).toBe(-Infinity);
  });
});

/** eq. 6 for histories whose terms overflow a double: the log of the sum from the logs of its terms. */
function paperLikelihoodInLogs({ r, alpha, a, b }: BgNbdParameters, { x, tx, T }: PurchaseHistory): number {
  const logRate = (horizon: number) => logGamma(r + x) + r * Math.log(alpha) - logGamma(r) - (r + x) * Math.log(alpha + horizon);
  const alive = logBeta(a, b + x) - logBeta(a, b) + logRate(T);
  const dropped = logBeta(a + 1, b + x - 1) - logBeta(a, b) + logRate(tx);
  const larger = Math.max(alive, dropped);
  return larger + Math.log(Math.exp(alive - larger) + Math.exp(dropped - larger));
}

describe('purchase histories', () => {
  test('refuse repeat purchases whose last one is at week 0, naming t_x', () => {
    expect(() => pAlive(PAPER, { x: 2, tx: 0, T: 10 })).toThrow(/field "tx"/);
    expect(() => fitBgNbd([{ x: 1, tx: 0, T: 5 }])).toThrow(/row 1, field "tx"/);
  });

  test('refuse an infinite T', () => {
    expect(() => pAlive(PAPER, { x: 1, tx: 3, T: Infinity })).toThrow(/field "T"/);
  });

  test('summaries refuse an infinite cut-off', async () => {
    await expect(summariseCustomers([], Infinity)).rejects.toThrow(InputError);
  });
});

describe('fitBgNbd', () => {
  test('reports the log-likelihood of the parameters it returns', () => {
    const fit = fitBgNbd(HISTORIES);
    expect(fit.logLikelihood).toBeCloseTo(logLikelihood(fit, prepareHistories(HISTORIES)), 9);
    expect(fit.logLikelihood).toBeLessThan(0);
  });

  test('refuses a budget of no evaluations or a fraction of one', () => {
    expect(() => fitBgNbd(HISTORIES, { maxEvaluations: 0 })).toThrow(OptionsError);
    expect(() => fitBgNbd(HISTORIES, { maxEvaluations: 1.5 })).toThrow(OptionsError);
  });

  test('starts at the given initial point and, out of budget, returns it unconverged', () => {
    const initial = { r: 0.5, alpha: 2, a: 0.7, b: 3 };
    const fit = fitBgNbd(HISTORIES, { initial, maxEvaluations: 1 });
    expect(fit.converged).toBe(false);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(fit[name]).toBeCloseTo(initial[name], 12);
  });

  test('a budget is passed to the optimiser: a small one ends the search early, unconverged', () => {
    const fit = fitBgNbd(HISTORIES, { maxEvaluations: 50 });
    expect(fit.converged).toBe(false);
    expect(fit.evaluations).toBeLessThan(60);
  });
});

describe('expectedPurchases', () => {
  test('is continuous through the pole a + b = 1 for a customer without repeat purchases (it was 0 there)', () => {
    const expected = (b: number) => expectedPurchases({ r: 0.5, alpha: 3, a: 0.4, b }, { x: 0, tx: 0, T: 20 }, 26);
    const beside = expected(0.6001);
    expect(beside).toBeGreaterThan(0.4);
    for (const b of [0.6, 0.6 - 1e-9, 0.6 + 1e-9]) expect(Math.abs(expected(b) - beside) / beside).toBeLessThan(1e-3);
  });

  test('is never negative, even where rounding dominates (a horizon of a microsecond)', () => {
    for (const b of [0.3, 2]) expect(expectedPurchases({ ...PAPER, a: 0.999, b }, { x: 1, tx: 10, T: 20 }, 1e-12)).toBeGreaterThanOrEqual(0);
  });

  test('refuses an infinite horizon', () => {
    expect(() => expectedPurchases(PAPER, { x: 2, tx: 30.43, T: 38.86 }, Infinity)).toThrow(OptionsError);
  });
});

describe('parameters', () => {
  test('refuse an infinite parameter', () => {
    expect(() => pAlive({ ...PAPER, r: Infinity }, { x: 1, tx: 1, T: 2 })).toThrow(OptionsError);
  });
});

describe('bgNbdFitProblem', () => {
  const sound = { ...PAPER, logLikelihood: -9582.43, customers: 2357, evaluations: 745, converged: true };

  test('accepts parameters up to six orders of magnitude from 1 and flags those beyond', () => {
    expect(bgNbdFitProblem({ ...sound, r: 1e6, a: 1e-6 })).toBeUndefined();
    expect(bgNbdFitProblem({ ...sound, r: 2e6 })).toMatch(/r outside/);
    expect(bgNbdFitProblem({ ...sound, b: 5e-7 })).toMatch(/b outside/);
  });

  test('flags a fit whose log-likelihood is not finite', () => {
    expect(bgNbdFitProblem({ ...sound, logLikelihood: -Infinity })).toBeDefined();
  });
});

describe('logGamma', () => {
  test('is accurate below 1/2, through the reflection formula', () => {
    // ln Γ(0.1) and ln Γ(0.001), to 13 digits.
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
    expect(logGamma(0.001)).toBeCloseTo(6.907178885383853, 12);
  });
});

describe('scaledHypergeometric2F1', () => {
  test('sums to double precision where the series converges slowly (z = 0.99)', () => {
    expect(scaledHypergeometric2F1(1, 1, 2, 0.99, 0)).toBeCloseTo(-Math.log(0.01) / 0.99, 12);
  });
});

describe('minimise (Nelder–Mead)', () => {
  test('reaches the minimum of the Rosenbrock function in four dimensions', () => {
    const rosenbrock = (p: number[]) => {
      let sum = 0;
      for (let i = 0; i + 1 < p.length; i++) sum += 100 * (p[i + 1]! - p[i]! ** 2) ** 2 + (1 - p[i]!) ** 2;
      return sum;
    };
    const result = minimise(rosenbrock, [-1.2, 1, -1.2, 1], { step: 0.5, tolerance: 1e-12, maxEvaluations: 50_000 });
    expect(result.converged).toBe(true);
    for (const coordinate of result.point) expect(coordinate).toBeCloseTo(1, 4);
  });
});
