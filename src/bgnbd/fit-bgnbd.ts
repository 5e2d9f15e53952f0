/**
 * Fitting BG/NBD by maximum likelihood: Nelder–Mead over the logarithms of
 * the four parameters, which keeps them positive without constraints and puts
 * r and alpha (whose scales differ by an order of magnitude) on an even footing.
 */
import { InputError, OptionsError } from '../errors.js';
import { logLikelihood, prepareHistories, type PurchaseHistory } from './log-likelihood.js';
import { minimise } from './nelder-mead.js';
import { assertParameters, type BgNbdParameters } from './parameters.js';

/** Options for {@link fitBgNbd}; all optional. */
export interface FitBgNbdOptions {
  /** Starting point; defaults to r = alpha = a = b = 1. */
  initial?: BgNbdParameters;
  /** Convergence tolerance on log-parameters and log-likelihood (default 1e-10). */
  tolerance?: number;
  /** Budget of likelihood evaluations (default 20,000). */
  maxEvaluations?: number;
}

/** Maximum-likelihood BG/NBD parameters and how the fit went. */
export interface BgNbdFit extends BgNbdParameters {
  logLikelihood: number;
  customers: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Fits BG/NBD to per-customer purchase histories (weeks), e.g. from
 * `summariseCustomers`. Throws `InputError` for an empty or invalid history
 * list (naming the row and field) and `OptionsError` for invalid options.
 *
 * @example
 * const fit = fitBgNbd(await summariseCustomers(events, Date.UTC(1997, 9, 1)));
 * console.log(fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood);
 */
export function fitBgNbd(histories: readonly PurchaseHistory[], options: FitBgNbdOptions = {}): BgNbdFit {
  const settings = resolveOptions(options);
  if (histories.length === 0) {
    throw new InputError('BGNBD_NO_CUSTOMERS', 'no customer with an order on or before the as-of day: BG/NBD needs at least one');
  }
  const prepared = prepareHistories(histories);
  const toParameters = (logs: number[]): BgNbdParameters => ({
    r: Math.exp(logs[0]!),
    alpha: Math.exp(logs[1]!),
    a: Math.exp(logs[2]!),
    b: Math.exp(logs[3]!),
  });
  const start = [settings.initial.r, settings.initial.alpha, settings.initial.a, settings.initial.b].map(Math.log);
  const result = minimise((logs) => -logLikelihood(toParameters(logs), prepared), start, {
    step: 0.5,
    tolerance: settings.tolerance,
    maxEvaluations: settings.maxEvaluations,
  });
  return {
    ...toParameters(result.point),
    logLikelihood: -result.value,
    customers: prepared.customers,
    evaluations: result.evaluations,
    converged: result.converged,
  };
}

function resolveOptions(options: FitBgNbdOptions): Required<FitBgNbdOptions> {
  const initial = options.initial ?? { r: 1, alpha: 1, a: 1, b: 1 };
  assertParameters(initial);
  const tolerance = options.tolerance ?? 1e-10;
  if (!(Number.isFinite(tolerance) && tolerance > 0)) {
    throw new OptionsError('BGNBD_OPTION', `option "tolerance" must be a finite number > 0, got ${String(tolerance)}`);
  }
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  if (!(Number.isInteger(maxEvaluations) && maxEvaluations > 0)) {
    throw new OptionsError('BGNBD_OPTION', `option "maxEvaluations" must be a whole number > 0, got ${String(maxEvaluations)}`);
  }
  return { initial, tolerance, maxEvaluations };
}
