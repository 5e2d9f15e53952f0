/** Options of the synthetic storefront, validated once into the form the simulation uses. */
import { OptionsError } from '../errors.js';

/** What to simulate. */
export interface StorefrontOptions {
  /** Number of customers (each gets an id like `C000042`). */
  customers: number;
  /** Number of simulated days. */
  days: number;
  /** Any integer; the same seed gives the same events, byte for byte. */
  seed: number;
  /** First simulated day, `YYYY-MM-DD` (UTC). Default `2025-01-01`. */
  startDate?: string;
}

/** Validated options with the start as epoch milliseconds (midnight UTC). */
export interface ResolvedStorefrontOptions {
  customers: number;
  days: number;
  seed: number;
  startMs: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks every option and throws `OptionsError` naming the one that is wrong. */
export function resolveStorefrontOptions(options: StorefrontOptions): ResolvedStorefrontOptions {
  const wholeNumber = (name: string, value: unknown, minimum: number, maximum: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
      throw new OptionsError('GENERATE_OPTION', `option "${name}" must be a whole number from ${minimum} to ${maximum}, got ${String(value)}`);
    }
    return value;
  };
  const customers = wholeNumber('customers', options.customers, 1, 100_000_000);
  const days = wholeNumber('days', options.days, 1, 36_500);
  const seed = wholeNumber('seed', options.seed, -(2 ** 31), 2 ** 32 - 1);
  const startDate = options.startDate ?? '2025-01-01';
  const match = DATE_ONLY.exec(startDate);
  const startMs = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || !Number.isFinite(startMs) || new Date(startMs).toISOString().slice(0, 10) !== startDate) {
    throw new OptionsError('GENERATE_OPTION', `option "startDate" must be a calendar date YYYY-MM-DD, got "${startDate}"`);
  }
  return { customers, days, seed, startMs };
}
