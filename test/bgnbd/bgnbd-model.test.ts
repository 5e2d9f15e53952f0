import { describe, expect, test } from 'vitest';
import { expectedPurchases } from '../../src/bgnbd/expected-purchases.js';
import { fitBgNbd } from '../../src/bgnbd/fit-bgnbd.js';
import { bgNbdFitProblem } from '../../src/bgnbd/fit-problem.js';
import { scaledHypergeometric2F1 } from '../../src/bgnbd/hypergeometric-2f1.js';
import { logGamma } from '../../src/bgnbd/log-gamma.js';
import { logLikelihood, prepareHistories } from '../../src/bgnbd/log-likelihood.js';
import { pAlive } from '../../src/bgnbd/p-alive.js';
import { InputError, OptionsError } from '../../src/errors.js';

/** The parameters published by Fader, Hardie & Lee (2005) for the CDNOW sample. */
const PAPER = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/** The paper's worked example: 2 repeat purchases, the last at week 30.43, observed for 38.86 weeks. */
const EXAMPLE = { x: 2, tx: 30.43, T: 38.86 };

describe('logGamma', () => {
  test('matches factorials, Γ(1/2) = √π and a large argument', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // ln Γ(101) = ln(100!)
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });
});

describe('scaledHypergeometric2F1', () => {
  test('matches closed forms: 2F1(1,1;2;z) = -ln(1-z)/z and 2F1(a,b;b;z) = (1-z)^-a', () => {
    expect(scaledHypergeometric2F1(1, 1, 2, 0.5, 0)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    expect(scaledHypergeometric2F1(1, 1, 2, 0.95, 0)).toBeCloseTo(-Math.log(0.05) / 0.95, 9);
    expect(scaledHypergeometric2F1(3.3, 2, 2, 0.9, 0) / 0.1 ** -3.3).toBeCloseTo(1, 12);
  });

  test('stays finite when the series itself would overflow but the prefactor brings it back', () => {
    // (1 - z)^a · 2F1(a, b; b; z) = 1 for any a, even a = 2000 where 2F1 alone is 2^2000.
    expect(scaledHypergeometric2F1(2000, 7, 7, 0.5, 2000 * Math.log(0.5))).toBeCloseTo(1, 9);
  });
});

describe('P(alive) and expected purchases', () => {
  test("reproduce the paper's worked example: 1.226 purchases expected in the next 39 weeks", () => {
    expect(expectedPurchases(PAPER, EXAMPLE, 39)).toBeCloseTo(1.226, 3);
    expect(pAlive(PAPER, EXAMPLE)).toBeCloseTo(0.7266, 4);
  });

  test('a customer without repeat purchases is alive for sure; a long silence after a busy spell makes death likely', () => {
    expect(pAlive(PAPER, { x: 0, tx: 0, T: 30 })).toBe(1);
    expect(pAlive(PAPER, { x: 10, tx: 5, T: 60 })).toBeLessThan(0.01);
    expect(pAlive(PAPER, { x: 10, tx: 59, T: 60 })).toBeGreaterThan(0.9);
  });

  test('expected purchases grow with the horizon and are 0 for a zero horizon', () => {
    const horizons = [0, 1, 13, 39, 104, 520].map((weeks) => expectedPurchases(PAPER, EXAMPLE, weeks));
    expect(horizons[0]).toBe(0);
    for (let i = 1; i < horizons.length; i++) expect(horizons[i]!).toBeGreaterThan(horizons[i - 1]!);
  });

  test('stay finite for extreme histories and at the removable singularity a = 1', () => {
    expect(Number.isFinite(expectedPurchases(PAPER, { x: 500, tx: 38, T: 38.86 }, 39))).toBe(true);
    expect(expectedPurchases(PAPER, { x: 500, tx: 38.86, T: 38.86 }, 39)).toBeGreaterThan(100);
    const atOne = expectedPurchases({ ...PAPER, a: 1 }, EXAMPLE, 39);
    const beside = expectedPurchases({ ...PAPER, a: 1.001 }, EXAMPLE, 39);
    expect(Math.abs(atOne - beside)).toBeLessThan(0.01);
  });

  test('reject a horizon that is negative or not a number', () => {
    expect(() => expectedPurchases(PAPER, EXAMPLE, -1)).toThrow(OptionsError);
    expect(() => expectedPurchases(PAPER, EXAMPLE, Number.NaN)).toThrow(OptionsError);
  });

  test('reject parameters outside the model and impossible histories instead of answering NaN', () => {
    expect(() => pAlive({ ...PAPER, b: Number.NaN }, EXAMPLE)).toThrow(/"b"/);
    expect(() => expectedPurchases({ ...PAPER, alpha: 0 }, EXAMPLE, 39)).toThrow(OptionsError);
    expect(() => pAlive(PAPER, { x: 2, tx: 40, T: 38.86 })).toThrow(/field "tx"/);
    expect(() => expectedPurchases(PAPER, { x: -1, tx: 0, T: 10 }, 39)).toThrow(InputError);
  });
});

describe('fitBgNbd', () => {
  test('rejects an empty history list and names the row and field of an impossible history', () => {
    expect(() => fitBgNbd([])).toThrow(InputError);
    expect(() => fitBgNbd([{ x: 1, tx: 5, T: 3 }])).toThrow(/row 1, field "tx"/);
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 1 }, { x: 1.5, tx: 1, T: 3 }])).toThrow(/row 2, field "x"/);
  });

  test('rejects options that cannot work', () => {
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 1 }], { tolerance: 0 })).toThrow(OptionsError);
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 1 }], { initial: { r: -1, alpha: 1, a: 1, b: 1 } })).toThrow(/"r"/);
  });

  test('the fitted point is a maximum: nudging any parameter lowers the likelihood', () => {
    const histories = [
      { x: 0, tx: 0, T: 30 }, { x: 1, tx: 4, T: 30 }, { x: 3, tx: 25, T: 32 }, { x: 0, tx: 0, T: 20 },
      { x: 6, tx: 18, T: 35 }, { x: 2, tx: 30, T: 31 }, { x: 0, tx: 0, T: 38 }, { x: 1, tx: 1, T: 25 },
    ];
    const fit = fitBgNbd(histories);
    const prepared = prepareHistories(histories);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.98, 1.02]) {
        expect(logLikelihood({ ...fit, [name]: fit[name] * factor }, prepared)).toBeLessThan(fit.logLikelihood);
      }
    }
  });

  test('the log-likelihood is -Infinity, never NaN, outside the parameter space', () => {
    const prepared = prepareHistories([{ x: 1, tx: 1, T: 2 }]);
    expect(logLikelihood({ r: -1, alpha: 1, a: 1, b: 1 }, prepared)).toBe(-Infinity);
    expect(logLikelihood({ r: Number.NaN, alpha: 1, a: 1, b: 1 }, prepared)).toBe(-Infinity);
  });
});

describe('bgNbdFitProblem', () => {
  const sound = { ...PAPER, logLikelihood: -9582.43, customers: 2357, evaluations: 745, converged: true };

  test('passes the published CDNOW fit', () => {
    expect(bgNbdFitProblem(sound)).toBeUndefined();
  });

  test('names a fit that did not converge, and one that ran off towards a limit', () => {
    expect(bgNbdFitProblem({ ...sound, converged: false, evaluations: 20_001 })).toMatch(/^the BG\/NBD fit on 2357 customers did not converge in 20001 likelihood evaluations: r = 0\.243/);
    expect(bgNbdFitProblem({ ...sound, r: 5.8e11 })).toMatch(/ran off towards a limit \(r outside \[0\.000001, 1000000\]\): r = 5\.80e\+11/);
    expect(bgNbdFitProblem({ ...sound, a: 8.7e-10 })).toMatch(/\(a outside/);
  });

  test('catches what the optimiser returns on clockwork buyers (no spread in rates: no interior maximum)', () => {
    const clockwork = Array.from({ length: 50 }, (_, i) => ({ customerId: String(i), x: 10, tx: 20, T: 20 }));
    expect(bgNbdFitProblem(fitBgNbd(clockwork))).toBeDefined();
  });
});
