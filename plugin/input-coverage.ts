/**
 * How much of a model's input live traffic actually supplies: for each model served, how many
 * fresh assessments had each input present (a stored feature or a request field, not null).
 * `/healthz` reports it, so a model that fits the store on paper but is fed by a hook that
 * never sends its fields shows up as, say, "62 % of inputs supplied".
 *
 * A running counter: one integer per input per model, bumped in place; nothing is allocated
 * per request. Remembered answers (the customer cache) are not counted again, and neither is
 * the population prior (a customer nothing is known about).
 */
import type { ServingModel } from './serving-model.js';

interface Tally {
  readonly names: readonly string[];
  readonly supplied: Float64Array;
  scored: number;
}

/** What `/healthz` says about one model's inputs. */
export interface InputCoverageReport {
  /** Fresh assessments counted since the model started serving. */
  scored: number;
  /** Share of the model's inputs present, over those assessments; null before the first. */
  suppliedShare: number | null;
  /** The inputs least often present (up to five), with their share. */
  leastSupplied: { name: string; share: number }[];
}

const LEAST_SUPPLIED = 5;

/** The counters of every model served by one plugin. */
export class InputCoverage {
  private readonly tallies = new WeakMap<ServingModel, Tally>();
  private lastModel: ServingModel | undefined;
  private lastTally: Tally | undefined;

  /**
   * Counts one scored record.
   *
   * @example
   * coverage.observe(model, { recency_days: 12, cart_items: null }); // recency_days supplied, cart_items not
   */
  observe(model: ServingModel, record: Readonly<Record<string, unknown>>): void {
    const tally = model === this.lastModel ? this.lastTally! : this.tallyOf(model);
    const { names, supplied } = tally;
    for (let i = 0; i < names.length; i++) {
      if (record[names[i]!] != null) supplied[i]!++;
    }
    tally.scored++;
  }

  /** The coverage of `model` so far. */
  report(model: ServingModel): InputCoverageReport {
    const tally = this.tallies.get(model);
    if (tally === undefined || tally.scored === 0 || tally.names.length === 0) return { scored: tally?.scored ?? 0, suppliedShare: null, leastSupplied: [] };
    const shares = tally.names.map((name, i) => ({ name, share: round(tally.supplied[i]! / tally.scored) }));
    const total = tally.supplied.reduce((sum, count) => sum + count, 0);
    return {
      scored: tally.scored,
      suppliedShare: round(total / (tally.scored * tally.names.length)),
      leastSupplied: shares.sort((a, b) => a.share - b.share).slice(0, LEAST_SUPPLIED),
    };
  }

  private tallyOf(model: ServingModel): Tally {
    let tally = this.tallies.get(model);
    if (tally === undefined) {
      const names = model.features.map((feature) => feature.name);
      tally = { names, supplied: new Float64Array(names.length), scored: 0 };
      this.tallies.set(model, tally);
    }
    this.lastModel = model;
    this.lastTally = tally;
    return tally;
  }
}

function round(share: number): number {
  return Math.round(share * 10_000) / 10_000;
}
