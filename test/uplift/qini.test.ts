/**
 * Qini and uplift-at-k curves, the Qini coefficient and their bootstrap bands, on small
 * logs whose right answers can be worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { evaluateUplift } from '../../src/uplift/bootstrap-bands.js';
import { shareGrid, upliftCurves, type ScoredOutcome } from '../../src/uplift/qini.js';
import { createRandom } from '../../src/train/random.js';

/** Four customers per arm; scores rank the first two treated and the last two held-out ones highest. */
const handLog: ScoredOutcome[] = [
  { score: 0.9, treated: true, retained: true },
  { score: 0.8, treated: true, retained: true },
  { score: 0.7, treated: false, retained: false },
  { score: 0.6, treated: false, retained: false },
  { score: 0.5, treated: true, retained: false },
  { score: 0.4, treated: true, retained: false },
  { score: 0.3, treated: false, retained: true },
  { score: 0.2, treated: false, retained: true },
];

/** A log where acting helps exactly the customers with a high `signal`; `signal` is the perfect score. */
function simulatedLog(rows: number, seed: number): (ScoredOutcome & { signal: number })[] {
  const random = createRandom(seed);
  return Array.from({ length: rows }, () => {
    const signal = random.next();
    const treated = random.next() < 0.7;
    const retention = 0.5 + (treated ? 0.4 * signal - 0.1 : 0);
    return { signal, score: signal, treated, retained: random.next() < retention };
  });
}

describe('Qini curve', () => {
  it('counts retained treated minus retained held-out customers among the top share, each per customer of its arm', () => {
    const curves = upliftCurves(handLog, { grid: [0, 0.25, 0.5, 0.75, 1] });
    // Top 2: both treated and retained → 2/4 − 0 = 0.5; top 4: 2/4 − 0/4; top 6: 2/4 − 0; all: 2/4 − 2/4 = 0.
    expect(curves.qini).toEqual([0, 0.5, 0.5, 0.5, 0]);
    // Uplift at k: within the top 4, treated 2/2 retained, held-out 0/2.
    expect(curves.upliftAtK[2]).toBe(1);
    expect(curves.upliftAtK[1]).toBeNull();
    expect(curves.upliftAtK[4]).toBe(0);
  });

  it('gives the Qini coefficient as the area between the curve and random targeting', () => {
    const curves = upliftCurves(handLog, { grid: shareGrid(8) });
    // Block ends every 1/8: q = 0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0 → trapezoid area 0.375; random line area 0.
    expect(curves.coefficient).toBeCloseTo(0.375, 12);
  });

  it('is exactly the random line for a constant score, and for scores tied across the whole log', () => {
    const log = simulatedLog(500, 3).map((row) => ({ ...row, score: 1 }));
    const curves = upliftCurves(log);
    expect(curves.coefficient).toBeCloseTo(0, 12);
    const overall = curves.qini[curves.qini.length - 1]!;
    curves.share.forEach((share, index) => expect(curves.qini[index]).toBeCloseTo(share * overall, 12));
  });

  it('ranks a perfect score above a noisy one, and a noisy one above random', () => {
    const log = simulatedLog(6000, 5);
    const random = createRandom(9);
    const perfect = upliftCurves(log).coefficient;
    const noisy = upliftCurves(log.map((row) => ({ ...row, score: row.signal + 0.5 * random.nextGaussian() }))).coefficient;
    const shuffled = upliftCurves(log.map((row) => ({ ...row, score: random.next() }))).coefficient;
    expect(perfect).toBeGreaterThan(noisy);
    expect(noisy).toBeGreaterThan(shuffled);
    expect(Math.abs(shuffled)).toBeLessThan(0.01);
  });

  it('counts NaN scores last', () => {
    const curves = upliftCurves([{ score: Number.NaN, treated: true, retained: true }, ...handLog.slice(2)], { grid: [0, 1] });
    expect(curves.coefficient).toBeLessThan(upliftCurves(handLog).coefficient);
  });
});

describe('bootstrap bands', () => {
  it('contain the point estimate, on the coefficient and at every share', () => {
    const evaluation = evaluateUplift(simulatedLog(2000, 7), { resamples: 100, seed: 1 });
    expect(evaluation.bands.coefficient.low).toBeLessThanOrEqual(evaluation.coefficient);
    expect(evaluation.bands.coefficient.high).toBeGreaterThanOrEqual(evaluation.coefficient);
    evaluation.qini.forEach((value, index) => {
      expect(evaluation.bands.qini[index]!.low).toBeLessThanOrEqual(value + 1e-12);
      expect(evaluation.bands.qini[index]!.high).toBeGreaterThanOrEqual(value - 1e-12);
    });
    expect(evaluation).toMatchObject({ rows: 2000, bands: { level: 0.95, resamples: 100 } });
  });

  it('narrow as the log grows', () => {
    const width = (rows: number) => {
      const { bands } = evaluateUplift(simulatedLog(rows, 8), { resamples: 100, seed: 2 });
      return bands.coefficient.high - bands.coefficient.low;
    };
    const small = width(1000);
    const large = width(8000);
    // Eight times the data: about 1/√8 of the width.
    expect(large).toBeLessThan(small / 2);
  });

  it('are the same for the same seed', () => {
    const log = simulatedLog(500, 4);
    expect(evaluateUplift(log, { resamples: 50, seed: 3 })).toEqual(evaluateUplift(log, { resamples: 50, seed: 3 }));
  });
});
