/**
 * A demo store that has run for months after its behaviour drifted from the shipped model's
 * training data: the plugin's demo seeding (`seedStore`: generated customers and events, then
 * the demo policy's decisions on the last week's visits, scored by models/storefront.json)
 * over `days` days, with subscribe-and-save launched on day 150
 * (`plugin/simulation/subscription-drift.ts`). The shipped model was trained on 180 days
 * without subscriptions.
 */
import { join } from 'node:path';
import { DAY } from '../plugin/plugin-app.js';
import { DEMO_POLICY } from '../../plugin/demo/demo-policy.js';
import { seedStore, type SeedSummary } from '../../plugin/demo/seed-store.js';
import { resolveOptions } from '../../plugin/express/options.js';
import { loadServingModel } from '../../plugin/load-model.js';
import { nodeModelLoader } from '../../plugin/node-model-loader.node.js';
import { launchSubscriptions } from '../../plugin/simulation/subscription-drift.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { loadEngine } from '../../src/node/index.js';

export const SHIPPED_MODEL = join(import.meta.dirname, '../../models/storefront.json');
/** The store's "now": its last simulated day is 2026-11-30. */
export const STORE_NOW = Date.parse('2026-11-30T12:00:00Z');
/** The day the simulated store launched subscriptions, counted from its first day. */
export const LAUNCH_DAY = 150;

export async function seedDriftedStore(store: ChurnStore, options: { customers: number; days: number; seed: number }): Promise<SeedSummary> {
  const serving = await loadServingModel(SHIPPED_MODEL, nodeModelLoader(await loadEngine()));
  const firstDay = Math.floor(STORE_NOW / DAY) * DAY - (options.days - 1) * DAY;
  const summary = await seedStore({
    store,
    model: serving,
    policy: resolveOptions({ model: SHIPPED_MODEL, store, identify: () => null, ...DEMO_POLICY }).policy,
    ...options,
    now: STORE_NOW,
    log: () => {},
    adjustEvents: (events) => launchSubscriptions(events, { startMs: firstDay + LAUNCH_DAY * DAY }),
  });
  if (summary === null) throw new Error('the store was not empty');
  return summary;
}

/** The drifted store the retrain tests share (2,500 customers over 420 days), written to a SQLite store in `dataDir`. */
export async function seedDriftedDataDir(dataDir: string): Promise<void> {
  const store = openSqliteStore({ dataDir, durability: 'normal' });
  try {
    await seedDriftedStore(store, { customers: 2500, days: 420, seed: 5 });
  } finally {
    await store.close();
  }
}
