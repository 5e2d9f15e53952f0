/**
 * `npm run bench:cold` — the event-loop CPU of one cold assessment, in process: the plugin's
 * `scoreRoute()` middleware called directly (no HTTP, no Express routing) with
 * `cacheTtlMs: 0`, for random customers of a SQLite store seeded like bench:http's (the
 * demo's seeding and policy, 2,000 customers, by a process of its own), so every call reads
 * the customer's state, works out their features, scores, runs the policy and sometimes logs
 * a decision. The served answer is then read the way the demo's product page reads it
 * (`action`, `band`; not `reasons`), and every tenth one serialised as `POST /churn/score` would.
 *
 * Views arrive in event-loop turns of `--per-turn` each (default 1, an idle storefront's
 * worst case; a busy one handles several requests per turn: bench:http's 10 connections
 * gave about 4 to 5): the SQLite store's reads of one turn share a read transaction, so a
 * turn of one view pays for it alone. Both figures are printed, each contender at both.
 *
 * CPU is this thread's own run time (Linux schedstat, ns), so other processes on a shared
 * machine move it far less than wall-clock time. A plain-JS calibration block runs between
 * blocks and tells which of the machine's speed levels a block ran at.
 *
 * With `--baseline <dir>` (a build of another commit: its `dist/` inside `<dir>`), that
 * build's plugin runs on the same store file in alternate blocks: before/after from one run.
 *
 * @example
 *   npm run build && npm run bench:cold -- --baseline /tmp/main-build
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Request, RequestHandler, Response } from 'express';
import { churn, type ChurnOptions } from '../plugin/express/index.js';
import { DEMO_POLICY } from '../plugin/demo/demo-policy.js';
import { seedStore } from '../plugin/demo/seed-store.js';
import { resolveOptions } from '../plugin/express/options.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import { repoRoot } from './repo-root.js';
import { median } from './stats.js';

type ExpressEntry = { churn: typeof churn; openSqliteStore: typeof openSqliteStore };

/** Nanoseconds this thread has run (falls back to process CPU time off Linux). */
function threadCpuNanos(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) * 1000;
  }
}

/** A fixed amount of plain-JS work: its CPU time tells the machine's speed level. */
function calibrationMicros(): number {
  const start = threadCpuNanos();
  let x = 0;
  for (let i = 0; i < 2_000_000; i++) x = (x * 31 + i) % 1_000_003;
  if (x < 0) throw new Error('unreachable');
  return (threadCpuNanos() - start) / 1000;
}

/** Calls the route middleware as Express would, resolving once it calls next(). */
function viewOnce(route: RequestHandler, customerId: string): Promise<unknown> {
  const req = { get: () => customerId } as unknown as Request;
  const res = { locals: {} as Record<string, unknown> } as unknown as Response;
  return new Promise((done) => {
    void route(req, res, () => done(res.locals.churn));
  });
}

interface Contender {
  name: string;
  route: RequestHandler;
  /** Per views-per-turn setting, the µs per assessment of each round. */
  micros: Map<number, number[]>;
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' },
      rounds: { type: 'string', default: '10' },
      views: { type: 'string', default: '3000' },
      'per-turn': { type: 'string', default: '1,5' },
      customers: { type: 'string', default: '2000' },
      model: { type: 'string', default: join(repoRoot(), 'models', 'storefront.json') },
      // Internal: this file run again to seed the store in a process of its own.
      'seed-into': { type: 'string' },
    },
  });
  const options = (store: ChurnOptions['store']): ChurnOptions => ({
    model: values.model!,
    store,
    identify: (req) => req.get('x-customer-id'),
    ...DEMO_POLICY,
  });
  if (values['seed-into']) {
    const seeding = openSqliteStore({ dataDir: values['seed-into'], durability: 'normal' });
    const seeder = churn(options(seeding));
    await seedStore({ store: seeding, model: await seeder.model(), policy: resolveOptions(options(seeding)).policy, customers: Number(values.customers), seed: 7, now: Date.now(), log: () => {} });
    await seeding.close();
    return;
  }
  const rounds = Number(values.rounds);
  const views = Number(values.views);
  const perTurn = values['per-turn']!.split(',').map(Number);
  if (perTurn.some((count) => !Number.isInteger(count) || count < 1)) throw new Error(`--per-turn must list integers >= 1, got ${values['per-turn']}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-bench-cold-'));
  try {
    // Seeded by another process: seeding here would run this build's plugin code on other
    // paths first, and its views would then run on code the JIT had shaped for seeding (an A/A
    // run, this build against a copy of itself, measured this build 15 % slower that way).
    const seeder = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--seed-into', dataDir, '--model', values.model!, '--customers', values.customers!], { stdio: 'inherit' });
    if (seeder.status !== 0) throw new Error(`seeding the store failed (exit ${seeder.status})`);
    const listing = openSqliteStore({ dataDir });
    const ids = (await listing.listCustomers(Number(values.customers))).map((customer) => customer.customerId);
    await listing.close();

    const contender = async (name: string, entry: ExpressEntry): Promise<Contender> => {
      const plugin = entry.churn({ ...(options(entry.openSqliteStore({ dataDir })) as Parameters<typeof churn>[0]), cacheTtlMs: 0 });
      await plugin.ready();
      return { name, route: plugin.scoreRoute(), micros: new Map(perTurn.map((count) => [count, []])) };
    };
    const contenders = [await contender('this build', { churn, openSqliteStore })];
    if (values.baseline) {
      const dist = join(resolve(values.baseline), 'dist');
      const express = (await import(pathToFileURL(join(dist, 'plugin/express/index.js')).href)) as ExpressEntry;
      const sqlite = (await import(pathToFileURL(join(dist, 'plugin/store/sqlite-store.js')).href)) as ExpressEntry;
      contenders.unshift(await contender(`baseline (${values.baseline})`, { churn: express.churn, openSqliteStore: sqlite.openSqliteStore }));
    }

    let sink = 0;
    let viewed = 0;
    const view = async (route: RequestHandler): Promise<void> => {
      const served = (await viewOnce(route, ids[Math.floor(Math.random() * ids.length)]!)) as { status: string; action?: unknown; band?: string };
      // What the product page reads; every tenth answer serialised like POST /churn/score's.
      if (served.status === 'ok' && served.action === null && served.band === 'high') sink++;
      if (viewed++ % 10 === 0) sink += JSON.stringify(served).length;
    };
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const block = async (route: RequestHandler, count: number, viewsPerTurn: number): Promise<number> => {
      const turn: Promise<void>[] = [];
      const start = threadCpuNanos();
      for (let i = 0; i < count; i += viewsPerTurn) {
        turn.length = 0;
        for (let k = 0; k < viewsPerTurn; k++) turn.push(view(route));
        await Promise.all(turn);
        await nextTurn();
      }
      return (threadCpuNanos() - start) / 1000 / count;
    };
    for (const { route } of contenders) await block(route, views, 1); // warm-up
    const calibration: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const count of perTurn) for (const contender of order) contender.micros.get(count)!.push(await block(contender.route, views, count));
      calibration.push(calibrationMicros());
    }
    const report = {
      views,
      rounds,
      calibrationMicros: { median: median(calibration), min: Math.min(...calibration), max: Math.max(...calibration) },
      contenders: contenders.map((contender) => ({
        name: contender.name,
        byViewsPerTurn: [...contender.micros].map(([viewsPerTurn, micros]) => ({
          viewsPerTurn,
          microsPerAssessment: { median: median(micros), min: Math.min(...micros), max: Math.max(...micros) },
          perRound: micros.map((value) => Math.round(value * 10) / 10),
        })),
      })),
      sink: sink > 0,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

run().then(
  // The plugins' stores stay open (their writer threads would keep the process alive).
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:cold: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
