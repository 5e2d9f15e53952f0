/**
 * What `/healthz` says of the store. Its status follows the model: a 503 there would take
 * every instance out of the load balancer during an outage of a store they share, while
 * their pages still serve (failing open). So the store's failures are reported beside the
 * status, for a monitor to alert on: how many since start, and the last one's code and time.
 */
import { ChurnkitError } from '../src/errors.js';

export interface StoreHealthReport {
  /** Store calls that failed since the plugin started: fail-open assessments and 503 answers. */
  failures: number;
  /** The latest, with the store's own code where it gave one (e.g. `STORE_REFUSED`), else `fallbackCode`. */
  lastFailure: { code: string; at: string } | null;
}

export class StoreHealth {
  private failures = 0;
  private last: { code: string; at: number } | null = null;

  /** Notes a failed store call: `error`'s code when it is a store code, else `fallbackCode`. */
  noteFailure(error: unknown, fallbackCode: string, at: number): void {
    this.failures++;
    this.last = { code: error instanceof ChurnkitError && error.code.startsWith('STORE_') ? error.code : fallbackCode, at };
  }

  report(): StoreHealthReport {
    return { failures: this.failures, lastFailure: this.last === null ? null : { code: this.last.code, at: new Date(this.last.at).toISOString() } };
  }
}
