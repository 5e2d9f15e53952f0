/**
 * bench:http's lock-stall row (issue 11, item 8): the product page's p99 while events
 * arrive at 5,000/s and another process holds a write lock on the SQLite file for 2 s,
 * against its p99 with no ingestion, in pairs. The lock holder is this file run on its own:
 *
 *     node dist/bench/http-lock-stall.js <sqlite file> <hold ms>
 *
 * (BEGIN IMMEDIATE, prints "locked", waits, COMMIT).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ResultsTable, TargetResult } from './results-file.js';
import { autocannon, pick, postLoad, randomEvent, round1, type AutocannonResult } from './http-load.js';
import { median } from './stats.js';

const PAGE_RATE = 2_000;
const EVENT_RATE = 5_000;
const EVENT_CONNECTIONS = 200;
const HOLD_MS = 2_000;
const RUN_SECONDS = 8;
/** The lock is taken this long into a run. */
const LOCK_AFTER_MS = 2_500;
/** Bar of issue 11: p99 with ingestion and the lock at most this much above p99 without. */
const P99_BAR_MS = 2;

export interface LockStallPlan {
  pages: { label: string; port: number; path: string }[];
  eventsPort: number;
  sqliteFile: string;
  customerIds: readonly string[];
  pairs: number;
  log: (line: string) => void;
  /** Runs the lock holder (a command line) on the client's core. */
  spawnHolder: (args: string[]) => ReturnType<typeof spawn>;
}

function pageLoad(port: number, path: string, customerIds: readonly string[]): Promise<AutocannonResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    duration: RUN_SECONDS,
    overallRate: PAGE_RATE,
    requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: `${path}/p-100`, headers: { 'x-customer-id': pick(customerIds) } }) }],
  });
}

/** Holds the write lock from another process for HOLD_MS, starting LOCK_AFTER_MS from now; resolves when released. */
function holdLockLater(plan: LockStallPlan): Promise<void> {
  return new Promise((done, fail) => {
    setTimeout(() => {
      const holder = plan.spawnHolder([process.execPath, fileURLToPath(import.meta.url), plan.sqliteFile, String(HOLD_MS)]);
      holder.once('exit', (code) => (code === 0 ? done() : fail(new Error(`the lock holder exited with code ${code}`))));
    }, LOCK_AFTER_MS);
  });
}

interface StallPair {
  quiet: AutocannonResult;
  loaded: AutocannonResult;
  events: AutocannonResult;
}

export interface LockStallResults {
  tables: ResultsTable[];
  notes: string[];
  targets: TargetResult[];
  raw: Record<string, unknown>;
}

export async function measureLockStall(plan: LockStallPlan): Promise<LockStallResults> {
  const results = new Map<string, StallPair[]>(plan.pages.map((page) => [page.label, []]));
  for (let pair = 0; pair < plan.pairs; pair++) {
    for (const page of plan.pages) {
      const quiet = await pageLoad(page.port, page.path, plan.customerIds);
      const [loaded, events] = await Promise.all([
        pageLoad(page.port, page.path, plan.customerIds),
        postLoad(plan.eventsPort, '/churn/events', RUN_SECONDS, () => ({ events: [randomEvent(plan.customerIds)] }), { connections: EVENT_CONNECTIONS, overallRate: EVENT_RATE }),
        holdLockLater(plan),
      ]);
      results.get(page.label)!.push({ quiet, loaded, events });
      plan.log(`lock stall, ${page.label}: p99 ${quiet.latency.p99} ms without ingestion, ${loaded.latency.p99} ms with ${round1(events['2xx'] / events.duration)} events/s and a ${HOLD_MS} ms lock (${events.non2xx + events.errors} events refused)`);
    }
  }
  const targets: TargetResult[] = [];
  const rows = plan.pages.map((page) => {
    const pairs = results.get(page.label)!;
    const added = pairs.map((pair) => pair.loaded.latency.p99 - pair.quiet.latency.p99);
    const addedMedian = median(added);
    targets.push({
      name: `${page.label}: p99 with 5,000 events/s and another process holding the SQLite write lock for 2 s, minus p99 without ingestion (ms)`,
      measured: addedMedian,
      target: `<= ${P99_BAR_MS} ms`,
      met: addedMedian <= P99_BAR_MS,
    });
    return [
      page.label,
      pairs.map((pair) => pair.quiet.latency.p99).join(' '),
      pairs.map((pair) => pair.loaded.latency.p99).join(' '),
      addedMedian,
      pairs.map((pair) => round1(pair.events['2xx'] / pair.events.duration)).join(' '),
      pairs.reduce((sum, pair) => sum + pair.events.non2xx + pair.events.errors, 0),
      pairs.reduce((sum, pair) => sum + pair.loaded.non2xx + pair.loaded.errors + pair.quiet.non2xx + pair.quiet.errors, 0),
    ];
  });
  return {
    tables: [
      {
        title: `Product page p99 under a held SQLite write lock (${plan.pairs} pairs of ${RUN_SECONDS} s runs at ${PAGE_RATE} page views/s; in the loaded run events are posted at ${EVENT_RATE}/s and another process holds the write lock for ${HOLD_MS} ms from ${LOCK_AFTER_MS / 1000} s in)`,
        columns: ['page', 'p99 ms without ingestion, per pair', 'p99 ms with ingestion and the lock, per pair', 'added p99 ms (median)', 'events/s acknowledged, per pair', 'events refused', 'page errors'],
        rows,
      },
    ],
    notes: [
      `Lock stall: the page is driven at a fixed ${PAGE_RATE} views/s (20 connections), so its p99 shows stalls rather than queueing at saturation. In the loaded run ${EVENT_CONNECTIONS} connections post single events at up to ${EVENT_RATE}/s while a separate process takes SQLite's write lock (BEGIN IMMEDIATE) for ${HOLD_MS} ms; the store's reads run on the main thread's WAL connection, which does not wait for a writer, and its writer thread waits for the lock off the event loop. While the lock is held, the events' answers wait for it, so arrivals are bounded by the ${EVENT_CONNECTIONS} connections (as with real clients): the events/s column is the run's average.`,
    ],
    targets,
    raw: Object.fromEntries([...results].map(([label, pairs]) => [`lock stall: ${label}`, pairs.map((pair) => ({ quietP99: pair.quiet.latency.p99, loadedP99: pair.loaded.latency.p99, events: pair.events['2xx'] }))])),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [file, holdMs] = process.argv.slice(2);
  const db = new Database(file!);
  db.exec('BEGIN IMMEDIATE');
  process.stdout.write('locked\n');
  setTimeout(() => {
    db.exec('COMMIT');
    db.close();
  }, Number(holdMs));
}
