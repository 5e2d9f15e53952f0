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
 * run test/plugin/store/kill-durability.test.ts` runs the long mode. Each store's summary
 * (rounds, events acknowledged, lost, duplicated) is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { featuresAt, type CustomerState } from '../../../src/features/online-state.js';
import { decodeCustomerState } from '../../../src/features/state-codec.js';
import { foldEvents } from '../../../plugin/store/fold-events.js';
import { writeQuickModel } from '../demo/quick-model.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

const KILL_ROUNDS_DEFAULT = 25;
const ROUNDS = Number(process.env.CHURNKIT_KILL_ROUNDS ?? KILL_ROUNDS_DEFAULT);
const CLIENTS = 4;
const CUSTOMERS = 8;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'churnkit-kill9-'));
let modelPath: string;
beforeAll(async () => {
  modelPath = await writeQuickModel(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** mulberry32: the same rounds, kill points and batches on every run. */
function seededRandom(seed: number): () => number {
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
async function startChild(kind: 'sqlite' | 'redis', where: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', join(here, 'register-typescript.mjs'), join(here, 'durable-events-server.ts'), kind, where, modelPath],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`events server exited (${code}) before listening: ${stderr}`)));
  });
  return { child, port };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What every round adds up to. */
interface Tally {
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
async function round(kind: 'sqlite' | 'redis', where: string, tally: Tally, random: () => number, onKill: () => Promise<void> = async () => {}): Promise<void> {
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
interface Stored {
  log: Map<string, ChurnEvent[]>;
  states: Map<string, CustomerState>;
}

function expectConsistent(stored: Stored, tally: Tally): { events: number } {
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

function report(store: string, tally: Tally, events: number): void {
  console.info(
    `kill -9 on ${store}: ${tally.rounds} rounds, ${tally.acknowledged.size} events acknowledged, 0 lost, 0 duplicated (${events} stored in all, ${tally.unanswered.length} batches still unanswered)`,
  );
}

describe('the plugin with its default SQLite store under kill -9', () => {
  it(`keeps every acknowledged event exactly once, an intact file and states equal to a replay of the log, over ${ROUNDS} kills`, { timeout: ROUNDS * 20_000 }, async () => {
    const dataDir = join(root, 'sqlite');
    const random = seededRandom(11);
    const tally: Tally = { rounds: 0, acknowledged: new Map(), unanswered: [] };
    let events = 0;
    for (let r = 0; r < ROUNDS; r++) {
      await round('sqlite', dataDir, tally, random);
      // Opened read-write, as the restarted storefront would: SQLite recovers the log first.
      const db = new Database(join(dataDir, 'churnkit.sqlite'));
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const log = new Map<string, ChurnEvent[]>();
        for (const row of db.prepare('SELECT customer_id, event FROM events ORDER BY id').all() as { customer_id: string; event: string }[]) {
          (log.get(row.customer_id) ?? log.set(row.customer_id, []).get(row.customer_id)!).push(JSON.parse(row.event) as ChurnEvent);
        }
        const states = new Map(
          (db.prepare('SELECT customer_id, state FROM customers').all() as { customer_id: string; state: Buffer }[]).map((row) => [row.customer_id, decodeCustomerState(row.state)]),
        );
        events = expectConsistent({ log, states }, tally).events;
      } finally {
        db.close();
      }
    }
    expect(tally.acknowledged.size).toBeGreaterThan(ROUNDS);
    report('SQLite', tally, events);
  });
});

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.warn('Redis kill -9 test skipped: redis-server is not on PATH (CI installs it with apt).');

describe.skipIf(!redisAvailable)('the plugin with a Redis store (appendfsync always) under kill -9', () => {
  let redis: RunningRedis;
  afterAll(async () => {
    await redis?.stop();
  });

  it(`keeps every acknowledged event exactly once and states equal to a replay of the log, over ${ROUNDS} kills (Redis killed too every other round)`, { timeout: ROUNDS * 20_000 }, async () => {
    redis = await startRedisServer({ durable: true });
    const random = seededRandom(13);
    const tally: Tally = { rounds: 0, acknowledged: new Map(), unanswered: [] };
    let events = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const killServerToo = r % 2 === 1;
      await round('redis', redis.url, tally, random, killServerToo ? () => redis.kill() : undefined);
      if (killServerToo) redis = await startRedisServer({ durable: true, dir: redis.dir, port: redis.port });
      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
        const log = new Map<string, ChurnEvent[]>();
        const states = new Map<string, CustomerState>();
        for (const customerId of await client.zRange('kill9:customers', 0, -1)) {
          const entries = await client.xRange(`kill9:events:${customerId}`, '-', '+');
          log.set(customerId, entries.map((entry) => JSON.parse(entry.message.event!) as ChurnEvent));
          states.set(customerId, decodeCustomerState((await binary.get(`kill9:customer:${customerId}`)) as Buffer));
        }
        events = expectConsistent({ log, states }, tally).events;
      } finally {
        await client.close();
      }
    }
    expect(tally.acknowledged.size).toBeGreaterThan(ROUNDS);
    report('Redis', tally, events);
  });
});
