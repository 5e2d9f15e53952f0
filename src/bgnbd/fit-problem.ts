/**
 * Whether a BG/NBD fit can be used. The optimiser always returns its best point, but when the
 * likelihood has no maximum inside the model (a handful of customers, nobody buying twice,
 * everyone buying like clockwork) that point runs along a ridge towards a limit: r ≈ 5.8e11,
 * a ≈ 1e-9. Such parameters are artefacts of where the search stopped, not estimates; P(alive)
 * and expected purchases computed from them mean nothing. Runtime-neutral.
 */
import type { BgNbdFit } from './fit-bgnbd.js';

/**
 * Parameters beyond six orders of magnitude from 1 either way: far outside any published fit
 * (CDNOW: r 0.24, alpha 4.4, a 0.79, b 2.4), where the optimiser is chasing a limit.
 */
export const PLAUSIBLE_PARAMETER_RANGE = [1e-6, 1e6] as const;

/**
 * Why a fit cannot be used (it did not converge, or a parameter ran off towards 0 or
 * infinity), or undefined for a sound fit.
 *
 * @example
 * ```ts
 * const fit = fitBgNbd(summaries);
 * const problem = bgNbdFitProblem(fit);
 * if (problem) throw new Error(problem);
 * ```
 */
export function bgNbdFitProblem(fit: BgNbdFit): string | undefined {
  const [low, high] = PLAUSIBLE_PARAMETER_RANGE;
  const runaway = (['r', 'alpha', 'a', 'b'] as const).filter((name) => !(fit[name] >= low && fit[name] <= high));
  if (fit.converged && runaway.length === 0 && Number.isFinite(fit.logLikelihood)) return undefined;
  const parameters = `r = ${fit.r.toPrecision(3)}, alpha = ${fit.alpha.toPrecision(3)}, a = ${fit.a.toPrecision(3)}, b = ${fit.b.toPrecision(3)}`;
  const what = !fit.converged
    ? `did not converge in ${fit.evaluations} likelihood evaluations`
    : `ran off towards a limit (${runaway.join(', ')} outside [${low}, ${high}])`;
  return (
    `the BG/NBD fit on ${fit.customers} customers ${what}: ${parameters}. The likelihood has no maximum inside the model, ` +
    'so these numbers are where the search stopped, not estimates: too few customers or too little repeat buying for BG/NBD'
  );
}
