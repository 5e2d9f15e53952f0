/**
 * `npm run bench:store` — the store's share of a cold assessment, in isolation: reading one
 * customer's state and recent decisions and working out their 47 features, µs of CPU per
 * customer, for customers of a store seeded like the demo's (2,000 generated customers,
 * 180 days, a few decisions for one in three).
 *
 * Paths, taking turns block by block in one process:
 * - before: the JSON state row, JSON.parse, featuresAt, and the decisions by a second
 *   statement (what the SQLite store did before the binary state);
 * - SQLite `readCustomerView`: one statement, features read from the binary record;
 * - its parts: the statement alone, `storedFeaturesAt` alone;
 * - Redis `readCustomerView` (state and decisions in one round trip), CPU of this process.
 * A plain-JS calibration block runs between them: it tells which of the machine's two speed
 * levels each round ran at, and figures are given for both.
 *
 * @example
 *   npm run build && npm run bench:store
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { featuresAt, type CustomerState } from '../src/features/online-state.js';
import { decodeCustomerState, storedFeaturesAt } from '../src/features/state-codec.js';
import { generateEvents } from '../src/generate/index.js';
import { openRedisStore } from '../plugin/store/redis-store.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import type { ChurnStore, Decision } from '../plugin/store/types.js';
import { hasRedisServer, launchRedisServer } from './redis-server.js';
import { writeReport } from './report.js';
import { machineInfo, writeResults, type BenchResults, type Cell } from './results-file.js';
import { bySpeedLevel, cpuOfCalibration } from './speed-levels.js';
import { median } from './stats.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const NOW = START + 180 * DAY_MS;
/** How far back decisions are read (the demo policy's longest cooldown). */
const LOOK_BACK_MS = 30 * DAY_MS;

function decision(customerId: string, ts: number): Decision {
  return {
    customerId, ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'storefront-1', probability: 0.71, customerValue: 180,
    group: 'treatment', action: 'coupon', cost: 10, expectedValues: { coupon: 28.3, care_call: 9.1, none: 0 }, skipped: {},
    explanation: 'coupon: EV 28.30 > care_call 9.10 > none',
  };
}

async function seed(store: ChurnStore, customers: number): Promise<string[]> {
  const events = [...generateEvents({ customers, days: 180, seed: 7, startDate: '2025-01-01' })];
  for (let i = 0; i < events.length; i += 5_000) await store.appendEvents(events.slice(i, i + 5_000));
  const ids = [...new Set(events.map((event) => event.customerId))];
  for (let i = 0; i < ids.length; i += 3) {
    for (let d = 0; d < 3; d++) await store.recordDecision(decision(ids[i]!, NOW - (d * 12 + 1) * DAY_MS), Infinity);
  }
  return ids;
}

/** The same customers as the SQLite store of before the binary state held them: JSON text, and decisions apart. */
function legacyCopy(binaryFile: string, legacyFile: string): Database.Database {
  const source = new Database(binaryFile, { readonly: true });
  const legacy = new Database(legacyFile);
  legacy.pragma('journal_mode = WAL');
  legacy.exec(`CREATE TABLE customers (customer_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_ts INTEGER NOT NULL);
    CREATE TABLE decisions (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, decision TEXT NOT NULL);
    CREATE INDEX decisions_by_customer ON decisions (customer_id, ts);`);
  const insertState = legacy.prepare('INSERT INTO customers VALUES (?, ?, ?)');
  const insertDecision = legacy.prepare('INSERT INTO decisions (customer_id, ts, decision) VALUES (?, ?, ?)');
  legacy.transaction(() => {
    for (const row of source.prepare('SELECT customer_id, state, updated_ts FROM customers').all() as { customer_id: string; state: Buffer; updated_ts: number }[]) {
      insertState.run(row.customer_id, JSON.stringify(decodeCustomerState(row.state)), row.updated_ts);
    }
    for (const row of source.prepare('SELECT customer_id, ts, decision FROM decisions ORDER BY id').all() as { customer_id: string; ts: number; decision: string }[]) {
      insertDecision.run(row.customer_id, row.ts, row.decision);
    }
  })();
  source.close();
  return legacy;
}

/** A throwaway in-memory redis-server, if one is installed. */
async function startRedis(dir: string): Promise<{ url: string; stop: () => void } | undefined> {
  if (!hasRedisServer()) return undefined;
  const { url, child } = await launchRedisServer({ dir });
  return { url, stop: () => child.kill('SIGKILL') };
}

interface Path {
  label: string;
  /** Reads customer `id`; may return a promise (awaited, its CPU counted). */
  read: (id: string) => unknown;
}

/** CPU µs per customer of one block: process CPU time (user + system) over the block, divided by the reads. */
async function block(path: Path, ids: readonly string[]): Promise<number> {
  const before = process.cpuUsage();
  for (const id of ids) {
    const result = path.read(id);
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / ids.length;
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, customers: { type: 'string', default: '2000' } } });
  const quick = values.quick!;
  const customers = Number(values.customers);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'churnkit-bench-store-'));
  mkdirSync(join(dir, 'redis'));
  const redis = await startRedis(join(dir, 'redis'));
  try {
    const sqlite = openSqliteStore({ dataDir: dir, durability: 'normal' });
    const ids = await seed(sqlite, customers);
    const legacy = legacyCopy(join(dir, 'churnkit.sqlite'), join(dir, 'legacy.sqlite'));
    const legacyState = legacy.prepare<[string], string>('SELECT state FROM customers WHERE customer_id = ?').pluck();
    const legacyDecisions = legacy.prepare<[string, number], string>('SELECT decision FROM decisions WHERE customer_id = ? AND ts >= ? ORDER BY ts, id').pluck();
    const raw = new Database(join(dir, 'churnkit.sqlite'), { readonly: true });
    const binaryState = raw.prepare<[string], Buffer>('SELECT state FROM customers WHERE customer_id = ?').pluck();
    const statement = raw
      .prepare<[string, string, number], unknown[]>(
        `SELECT (SELECT state FROM customers WHERE customer_id = ?),
                (SELECT '[' || group_concat(decision, ',' ORDER BY ts, id) || ']' FROM decisions WHERE customer_id = ? AND ts >= ?)`,
      )
      .raw();
    const stored = new Map(ids.map((id) => [id, binaryState.get(id)!]));
    const since = NOW - LOOK_BACK_MS;
    let redisStore: ChurnStore | undefined;
    if (redis) {
      redisStore = await openRedisStore({ url: redis.url, keyPrefix: 'bench:' });
      await seed(redisStore, customers);
    }
    const paths: Path[] = [
      {
        label: 'before: JSON state + JSON.parse + featuresAt, decisions by a second statement',
        read: (id) => {
          const json = legacyState.get(id);
          const features = json === undefined ? null : featuresAt(JSON.parse(json) as CustomerState, NOW);
          return [features, legacyDecisions.all(id, since).map((text) => JSON.parse(text) as Decision)];
        },
      },
      { label: 'SQLite readCustomerView: one statement, features from the binary record', read: (id) => sqlite.readCustomerView!(id, NOW, since) },
      { label: '  of which: the statement alone', read: (id) => statement.get(id, id, since) },
      { label: '  of which: storedFeaturesAt alone', read: (id) => storedFeaturesAt(stored.get(id)!, NOW) },
      ...(redisStore ? [{ label: 'Redis readCustomerView: one round trip (CPU of this process)', read: (id: string) => redisStore!.readCustomerView!(id, NOW, since) }] : []),
    ];
    for (const path of paths) for (let warm = 0; warm < 3; warm++) await block(path, ids);

    const rounds = quick ? 5 : 20;
    const perRound: { calibrationUs: number; figures: Map<string, number> }[] = [];
    for (let round = 0; round < rounds; round++) {
      const figures = new Map<string, number[]>(paths.map((path) => [path.label, []]));
      const calibrations: number[] = [];
      for (let b = 0; b < (quick ? 2 : 4); b++) {
        for (let i = 0; i < paths.length; i++) {
          calibrations.push(cpuOfCalibration());
          const path = paths[(b + i) % paths.length]!;
          figures.get(path.label)!.push(await block(path, ids));
        }
      }
      perRound.push({ calibrationUs: median(calibrations), figures: new Map([...figures].map(([label, samples]) => [label, median(samples)])) });
    }
    const { fast, slow, note: levelNote } = bySpeedLevel(perRound);
    const figure = (rounds: typeof perRound, label: string): Cell => {
      if (rounds.length === 0) return '–';
      const samples = rounds.map((round) => round.figures.get(label)!);
      return `${(Math.round(median(samples) * 100) / 100).toFixed(2)} [${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)}]`;
    };
    const before = paths[0]!.label;
    const speedUp = (label: string) => median(perRound.map((round) => round.figures.get(before)! / round.figures.get(label)!));
    const rows = paths.map((path): Cell[] => [path.label, figure(fast, path.label), figure(slow, path.label), figure(perRound, path.label), path === paths[0] ? 'reference' : `${speedUp(path.label).toFixed(2)}x`]);
    for (const row of rows) log(row.join(' | '));
    const results: BenchResults = {
      name: 'store',
      title: 'Store: reading a cold customer (state, recent decisions, features)',
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      tables: [
        {
          title: `CPU µs per customer, ${ids.length} customers read in turn per block (median over rounds [min–max])`,
          columns: ['path', 'fast level', 'slow level', 'all rounds', 'faster than before (same round)'],
          rows,
        },
      ],
      notes: [
        `Store seeded with ${ids.length} generated customers over 180 days (the demo's generator) and 3 decisions for one customer in three; features at day 180, decisions of the last 30 days. CPU time is this process's (user + system) over each block, so a Redis round trip counts what the client spends, not the wait.`,
        'The "before" path is the SQLite store as it was: the state as JSON text (the same customers, copied), parsed whole, featuresAt on the object, and the decisions by a second statement.',
        levelNote,
        `Run mode: ${quick ? 'quick (5 rounds of 2 blocks: a smoke test)' : 'full (20 rounds of 4 blocks per path)'}. The machine is shared with other work.`,
        ...(redisStore ? [] : ['Redis row missing: redis-server is not installed.']),
      ],
      raw: { perRound: perRound.map((round) => ({ calibrationUs: round.calibrationUs, figures: Object.fromEntries(round.figures) })) },
    };
    // A quick run is a smoke test: its figures go to a scratch file, never into RESULTS.md.
    log(`wrote ${writeResults(results, { scratch: quick })}`);
    if (!quick) log(`wrote ${writeReport().markdownFile}`);
    await redisStore?.close();
    raw.close();
    legacy.close();
    await sqlite.close();
  } finally {
    redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:store: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
