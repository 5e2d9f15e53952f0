/**
 * BG/NBD (Fader, Hardie & Lee 2005): the small-store prior. Fit it on the
 * order log of a store too small for a supervised model, then read P(alive)
 * and expected purchases per customer, or feed both to the supervised model
 * as features. Runtime-neutral: no Node built-ins.
 *
 * @example
 * const summaries = await summariseCustomers(events, Date.UTC(1997, 9, 1)); // cut-off: observe through 1997-09-30
 * const fit = fitBgNbd(summaries);
 * if (bgNbdFitProblem(fit)) throw new Error(bgNbdFitProblem(fit)); // not converged, or degenerate
 * const alive = pAlive(fit, summaries[0]);
 * const next39Weeks = expectedPurchases(fit, summaries[0], 39);
 */
export { summariseCustomers, type CustomerSummary } from './customer-summary.js';
export { fitBgNbd, type BgNbdFit, type FitBgNbdOptions } from './fit-bgnbd.js';
export { bgNbdFitProblem, PLAUSIBLE_PARAMETER_RANGE } from './fit-problem.js';
export { logLikelihood, prepareHistories, type PurchaseHistory } from './log-likelihood.js';
export { pAlive } from './p-alive.js';
export { expectedPurchases } from './expected-purchases.js';
export type { BgNbdParameters } from './parameters.js';
