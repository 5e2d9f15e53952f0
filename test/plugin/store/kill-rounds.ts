/**
 * Crash safety at scale: a storefront with the plugin is killed with SIGKILL over and over
 * while clients post events, on SQLite and on Redis (`appendfsync always`, the server itself
 * killed too every other round). After each kill the store is opened again, as a restart
 * would, and must hold every acknowledged event exactly once, pass its integrity check, and
 * hold for each customer exactly the state a replay of its event log gives. Batches cut off
 * by a kill are posted again by their client in the next round (as a client retries a
 * request that got no answer): with event ids they are stored once, whether or not the first
 * attempt had been committed.
 *
 * `npm test` runs KILL_ROUNDS_DEFAULT rounds per store; `CHURNKIT_KILL_ROUNDS=300 npx vitest
 * run test/plugin/store/kill-durability` runs the long mode. Each store's summary (rounds,
 * events acknowledged, lost, duplicated) is printed. The rounds of each store are in a test
 * file of their own (kill-durability.sqlite.test.ts, kill-durability.redis.test.ts), so
 * the two run side by side.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { featuresAt, type CustomerState } from '../../../src/features/online-state.js';
import { foldEvents } from '../../../plugin/store/fold-events.js';
import type { CrashSafetyInput } from '../../../bench/reliability-report.js';
import { writeQuickModel } from '../demo/quick-model.js';
import { killHard, startChildServer } from './child-server.js';

const KILL_ROUNDS_DEFAULT = 25;
export const ROUNDS = Number(process.env.CHURNKIT_KILL_ROUNDS ?? KILL_ROUNDS_DEFAULT);
/** Per test: generous, since a round is mostly a Node process starting. */
export const TEST_TIMEOUT_MS = ROUNDS * 20_000;
const CLIENTS = 4;
const CUSTOMERS = 8;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const here = dirname(fileURLToPath(import.meta.url));

/** A temp directory with the model the storefronts load; removed after the file's tests. */
export function killTestWorkspace(): { root: string } {
  const workspace = { root: mkdtempSync(join(tmpdir(), 'churnkit-kill9-')) };
  beforeAll(async () => {
    modelPath = await writeQuickModel(workspace.root);
  });
  afterAll(() => rmSync(workspace.root, { recursive: true, force: true }));
  return workspace;
}
let modelPath: string;

/** mulberry32: the same rounds, kill points and batches on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the events server in its own Node process and resolves with its port. */
function startChild(kind: 'sqlite' | 'redis', where: string) {
  return startChildServer(join(here, 'durable-events-server.ts'), [kind, where, modelPath], 'events server');
}

/** What every round adds up to. */
export interface Tally {
  rounds: number;
  acknowledged: Map<string, ChurnEvent>;
  /** Batches posted without an answer (cut off by the kill): retried next round. */
  unanswered: ChurnEvent[][];
}

/**
 * One round: start the storefront, retry last round's unanswered batches, then let four
 * clients post batches of 1 to 5 events for a few shared customers; kill the process after a
 * random number of acknowledgements, with requests still being parsed, committed or synced.
 */
export async function round(kind: 'sqlite' | 'redis', where: string, tally: Tally, random: () => number, onKill: () => Promise<void> = async () => {}): Promise<void> {
  const { child, port } = await startChild(kind, where);
  const killAfter = 1 + Math.floor(random() * 25);
  let acknowledgements = 0;
  let killed: Promise<void> | null = null;
  let posted = 0;
  const retries = tally.unanswered;
  tally.unanswered = [];
  const post = async (events: ChurnEvent[]): Promise<'ok' | 'refused' | 'cut'> => {
    let response: Response;
    try {
      response = await fetch(`http://127.0.0.1:${port}/churn/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
    } catch {
      return 'cut';
    }
    if (response.status === 503) return 'refused';
    if (!response.ok) throw new Error(`POST /churn/events answered ${response.status}: ${await response.text()}`);
    for (const event of events) tally.acknowledged.set(event.id!, event);
    if (++acknowledgements === killAfter) killed = Promise.all([killHard(child), onKill()]).then(() => undefined);
    return 'ok';
  };
  const client = async (clientIndex: number) => {
    while (killed === null) {
      const next = retries.pop();
      const events =
        next ??
        Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => ({
          customerId: `k${Math.floor(random() * CUSTOMERS)}`,
          id: `r${tally.rounds}-c${clientIndex}-${posted}-${i}`,
          ts: T0 + tally.rounds * HOUR_MS + posted++ * 1_000 + i,
          type: random() < 0.3 ? 'order' : 'page_view',
          value: Math.round(random() * 10_000) / 100,
          category: `cat${Math.floor(random() * 4)}`,
        }));
      const outcome = await post(events);
      if (outcome === 'cut') {
        tally.unanswered.push(events);
        return;
      }
      // A refused batch (503) is not stored: the client keeps it to retry.
      if (outcome === 'refused') tally.unanswered.push(events);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  await (killed ?? killHard(child));
  // Retries a round could not get to are still owed.
  tally.unanswered.push(...retries);
  expect(child.signalCode).toBe('SIGKILL');
  tally.rounds++;
}

/** The stored log and states, as a restart reads them. */
export interface Stored {
  log: Map<string, ChurnEvent[]>;
  states: Map<string, CustomerState>;
}

export function expectConsistent(stored: Stored, tally: Tally): { events: number } {
  const seen = new Map<string, number>();
  let events = 0;
  for (const log of stored.log.values()) {
    for (const event of log) {
      seen.set(event.id!, (seen.get(event.id!) ?? 0) + 1);
      events++;
    }
  }
  const duplicated = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  expect(duplicated, 'events stored more than once').toEqual([]);
  const lost = [...tally.acknowledged.keys()].filter((id) => !seen.has(id));
  expect(lost, 'acknowledged events missing').toEqual([]);
  expect([...stored.states.keys()].sort()).toEqual([...stored.log.keys()].sort());
  const asOf = T0 + (tally.rounds + 1) * HOUR_MS;
  for (const [customerId, log] of stored.log) {
    const replayed = foldEvents(null, log);
    const state = stored.states.get(customerId)!;
    expect(state, `customer ${customerId}: stored state vs replay of its log`).toEqual(replayed);
    expect(featuresAt(state, asOf)).toEqual(featuresAt(replayed, asOf));
  }
  return { events };
}

/**
 * Prints the store's summary, and with `CHURNKIT_RELIABILITY_DIR` set (`npm run bench:fuzz`)
 * writes it there as `crash-<store>.json` for bench/RESULTS.md's "Reliability" section.
 * Called once every round passed its checks, so lost and duplicated are 0 by then.
 */
export function report(store: string, tally: Tally, events: number, integrity: string, startedMs: number): void {
  console.info(
    `kill -9 on ${store}: ${tally.rounds} rounds, ${tally.acknowledged.size} events acknowledged, 0 lost, 0 duplicated (${events} stored in all, ${tally.unanswered.length} batches still unanswered)`,
  );
  const folder = process.env.CHURNKIT_RELIABILITY_DIR;
  if (folder === undefined) return;
  const input: CrashSafetyInput = {
    measuredAt: new Date().toISOString(),
    command: `CHURNKIT_KILL_ROUNDS=${ROUNDS} npx vitest run test/plugin/store/kill-durability.${store.toLowerCase()}.test.ts`,
    store,
    rounds: tally.rounds,
    acknowledged: tally.acknowledged.size,
    lost: 0,
    duplicated: 0,
    integrity,
    seconds: (performance.now() - startedMs) / 1000,
    loadAverage: loadavg()[0]!,
  };
  writeFileSync(join(folder, `crash-${store.toLowerCase()}.json`), `${JSON.stringify(input, null, 2)}\n`);
}

