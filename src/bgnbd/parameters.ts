/** The four BG/NBD parameters and the checks every entry point applies to them. */
import { OptionsError } from '../errors.js';

/**
 * Fitted BG/NBD parameters (Fader, Hardie & Lee 2005). Purchase rates λ are
 * Gamma(r, alpha) across customers (alpha in weeks); the probability p of
 * dropping out after each purchase is Beta(a, b).
 */
export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Throws unless all four parameters are finite and positive. */
export function assertParameters(parameters: BgNbdParameters): void {
  for (const name of ['r', 'alpha', 'a', 'b'] as const) {
    const value = parameters[name];
    if (!(Number.isFinite(value) && value > 0)) {
      throw new OptionsError('BGNBD_PARAMETER', `BG/NBD parameter "${name}" must be a finite number > 0, got ${String(value)}`);
    }
  }
}
