/**
 * The challenger report, computed once for everyone who asks at the same time and served
 * again for a short while. `GET /challenger` is public and each comparison reads the store's
 * whole challenger and event logs: without this, callers asking in a loop, or many at once,
 * would multiply that read. A report a few seconds old says what a fresh one would: labels
 * change only as customers' horizons pass, days after their scores.
 */
import type { ChurnDefinition } from '../churn-definition.js';
import type { ChurnStore } from '../store/types.js';
import { requireChallengerLog } from './challenger.js';
import { storeEventLog } from './churn-labels.js';
import { compareChallenger, type ChallengerReport } from './compare-challenger.js';

/** How long a finished report is served again, in ms of the plugin's clock (docs/plugin.md says 30 s). */
export const REPORT_REUSE_MS = 30_000;

export interface SharedReportSetup {
  /** The store whose logs are compared (the plugin's backing store). */
  store(): Promise<ChurnStore>;
  /** Resolves once the challenger scores waiting to be written are in the store. */
  settle(): Promise<void>;
  definition: ChurnDefinition;
  /** The plugin's clock (epoch ms). */
  clock: () => number;
}

/**
 * The report as of now: the one being computed if there is one, else the last one while it is
 * younger than `REPORT_REUSE_MS`, else a new one. A failed computation is not kept: the next
 * caller tries again.
 *
 * @example
 * const report = sharedChallengerReport({ store: backingStore, settle: () => challenger.settle(), definition: DEFAULT_CHURN_DEFINITION, clock: Date.now });
 * const [first, second] = await Promise.all([report(), report()]); // one read of the logs
 */
export function sharedChallengerReport(setup: SharedReportSetup): () => Promise<ChallengerReport> {
  let running: Promise<ChallengerReport> | undefined;
  let finished: { report: ChallengerReport; at: number } | undefined;
  const compute = async () => {
    const store = await setup.store();
    requireChallengerLog(store);
    // What is waiting to be scored or written is counted too.
    await setup.settle();
    return compareChallenger(store.challengerLog!(), () => storeEventLog(store), setup.definition);
  };
  return () => {
    if (finished !== undefined) {
      const age = setup.clock() - finished.at;
      // A clock set back is no reason to keep a report forever.
      if (age >= 0 && age < REPORT_REUSE_MS) return Promise.resolve(finished.report);
    }
    running ??= compute()
      .then((report) => {
        finished = { report, at: setup.clock() };
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
