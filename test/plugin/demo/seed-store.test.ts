/**
 * The demo's seeding: the generator follows the calendar (weekends, the season, the holiday
 * peak), so a world generated to end on the day of the demo differs from one day to the next,
 * and docs/demo.md's example customer would tell another story (or none) on another date. A
 * fixed world (`worldEndDate`) moved by whole days to end today is the same whatever the date.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_POLICY } from '../../../plugin/demo/demo-policy.js';
import { seedStore, type SeedOptions } from '../../../plugin/demo/seed-store.js';
import { resolveOptions } from '../../../plugin/express/options.js';
import { loadServingModel } from '../../../plugin/load-model.js';
import { nodeModelLoader } from '../../../plugin/node-model-loader.node.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { loadEngine } from '../../../src/node/index.js';

const SHIPPED_MODEL = join(import.meta.dirname, '../../../models/storefront.json');
const DAY_MS = 86_400_000;
const root = mkdtempSync(join(tmpdir(), 'churnkit-seed-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Seeds a fresh SQLite store as of `now` and gives back its whole event log. */
async function seededLog(name: string, now: number, options: Partial<SeedOptions> = {}): Promise<ChurnEvent[]> {
  const store = openSqliteStore({ dataDir: join(root, name), durability: 'normal' });
  try {
    const model = await loadServingModel(SHIPPED_MODEL, nodeModelLoader(await loadEngine()));
    const policy = resolveOptions({ model: SHIPPED_MODEL, store, identify: () => null, ...DEMO_POLICY }).policy;
    await seedStore({ store, model, policy, customers: 200, days: 40, seed: 11, now, log: () => {}, ...options });
    const events: ChurnEvent[] = [];
    for await (const batch of store.eventLog!()) events.push(...batch);
    return events.sort((a, b) => a.customerId.localeCompare(b.customerId) || a.ts - b.ts || a.type.localeCompare(b.type));
  } finally {
    await store.close();
  }
}

describe('seeding the demo store', () => {
  it('with a fixed world, stores the same customers and histories on any date, moved to end that day', async () => {
    const onTheDay = Date.parse('2026-12-02T15:30:00Z');
    const later = Date.parse('2027-03-17T15:30:00Z');
    const shift = later - onTheDay;
    const first = await seededLog('fixed-on-the-day', onTheDay, { worldEndDate: '2026-12-02' });
    const second = await seededLog('fixed-later', later, { worldEndDate: '2026-12-02' });
    expect(first.length).toBeGreaterThan(1000);
    expect(second.map((event) => ({ ...event, ts: event.ts - shift }))).toEqual(first);
    // Nothing after "now": the last day is cut at the time of day the demo starts.
    expect(Math.max(...second.map((event) => event.ts))).toBeLessThanOrEqual(later);
  });

  it('without one, generates the world of the calendar up to that day: another world on another date', async () => {
    const monday = await seededLog('calendar-monday', Date.parse('2026-11-30T15:30:00Z'));
    const tuesday = await seededLog('calendar-tuesday', Date.parse('2026-12-01T15:30:00Z'));
    expect(tuesday.map((event) => ({ ...event, ts: event.ts - DAY_MS }))).not.toEqual(monday);
  });

  it('refuses a world end that is not a date', async () => {
    await expect(seededLog('bad-date', Date.now(), { worldEndDate: 'yesterday' })).rejects.toThrow(/worldEndDate" must be a date YYYY-MM-DD/);
  });
});
