/**
 * `npm run bench:gc` — what sets a product page's p99 at 1,000 views/s: the storefront's
 * young-generation garbage collections, with and without Express, with and without churnkit.
 *
 * bench:http's lock-stall row (issue 11) asks that the page's p99 with events arriving and a
 * held SQLite lock stays within 2 ms of its p99 without them. Its runs move by 5–30 ms with
 * nothing changed, on the plain Express page as on the plugin's. This benchmark shows why:
 * the same page, served at the same evenly paced 1,000 views/s by
 * - node:http alone (the page's bytes, as Express answers them);
 * - node:http that sets each response's prototype before answering, as Express 5 does
 *   (`Object.setPrototypeOf(res, app.response)` in `app.handle`), and nothing else;
 * - Hono 4 on @hono/node-server, alone and with churnkit/hono's middleware (default cache);
 * - Express 5: bench:http's plain storefront;
 * - Express 5 with churnkit: bench:http's declared product page (default cache);
 * - both Express apps again on churnkit's `createExpressServer`, whose requests and responses
 *   are born as the app's, so Express changes no prototype.
 * Each server runs in a process of its own with `--trace-gc-nvp`, pinned to the server's
 * core (the load generator on the other), and each run counts its scavenges, their pauses,
 * and the bytes each promoted to the old generation: objects alive at two scavenges in a
 * row are copied twice, and that copying is most of a scavenge's pause.
 *
 * @example
 *   npm run build && npm run bench:gc            # full: 4 rounds of 6 s per server
 *   node dist/bench/gc-floor.js --quick          # 1 round of 3 s, to a scratch file
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, ServerResponse, type IncomingMessage } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve as serveNode } from '@hono/node-server';
import { productPage } from '../plugin/demo/product-page.js';
import { parseGcTrace, type Scavenge } from './gc-trace.js';
import { honoStorefront } from './hono-storefront.js';
import { pick } from './http-load.js';
import { pacedLoad, type PacedLoadResult } from './paced-load.js';
import { canPin, CLIENT_CPU, pinThisProcessToClientCpu, SERVER_CPU, spawnOn } from './pinned-cores.js';
import { writeReport } from './report.js';
import { machineInfo, writeResults, type BenchResults, type Cell } from './results-file.js';
import { median } from './stats.js';

const RATE = 1_000;
const CONNECTIONS = 20;
const WARM_UP_SECONDS = 3;
const CUSTOMERS = 2_000;
const PAGE_PATH = '/products/p-100';

/** A server under test: its process, its port, and the GC trace lines it printed since the last read. */
interface TracedServer {
  label: string;
  child: ChildProcess;
  port: number;
  /** The trace lines since the last call, emptied. */
  takeTrace(): string[];
}

/** What one run of one server measured. */
interface GcRun {
  latency: PacedLoadResult['latencyMs'];
  seconds: number;
  scavenges: Scavenge[];
  /** The final pause of each full (mark-compact) collection finished during the run, ms. */
  fullCollectionPausesMs: number[];
}

/**
 * Starts `commandLine` on the server's core with GC tracing; resolves once the JSON line its
 * stdout starts with `{` gives the port (`portOf`).
 */
function startTraced(label: string, commandLine: string[], portOf: (report: Record<string, unknown>) => number): Promise<TracedServer> {
  const [node, ...rest] = commandLine;
  const child = spawnOn(SERVER_CPU, [node!, '--trace-gc-nvp', ...rest], 'pipe');
  let pending = '';
  const trace: string[] = [];
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('{')) ready({ label, child, port: portOf(JSON.parse(line) as Record<string, unknown>), takeTrace: () => trace.splice(0) });
        else trace.push(line);
      }
    });
    child.once('exit', (code) => fail(new Error(`${label}: the server exited with code ${code} before listening`)));
  });
}

async function run(server: TracedServer, seconds: number, customerIds: readonly string[]): Promise<GcRun> {
  server.takeTrace();
  const result = await pacedLoad({
    origin: `http://127.0.0.1:${server.port}`,
    rate: RATE,
    seconds,
    connections: CONNECTIONS,
    request: () => ({ method: 'GET', path: PAGE_PATH, headers: { 'x-customer-id': pick(customerIds) } }),
  });
  if (result.failed > 0) throw new Error(`${server.label}: ${result.failed} page views failed`);
  // The last trace lines of the run may still be in the pipe.
  await new Promise((settle) => setTimeout(settle, 100));
  return { latency: result.latencyMs, seconds, ...parseGcTrace(server.takeTrace()) };
}

/** `--bare plain|prototype`: node:http rendering the product page (the demo's, as Express serves it), with no routing. */
function serveBare(mode: string): void {
  // What Express 5's app.handle does to every response before routing; the methods are node:http's own.
  const expressLikeResponse = Object.create(ServerResponse.prototype) as ServerResponse;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (mode === 'prototype') Object.setPrototypeOf(res, expressLikeResponse);
    const page = productPage(req.url!.slice(req.url!.lastIndexOf('/') + 1), undefined);
    res.statusCode = page.status;
    res.setHeader('content-type', page.contentType);
    res.end(page.body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * `--hono plain|churnkit [<data dir> <model file>]`: Hono on @hono/node-server rendering the
 * product page; with churnkit, behind churnkit/hono's middleware on the seeded SQLite store
 * (the demo's policy, the default cache), the offer it chose in the page.
 */
async function serveHono(mode: string, dataDir: string | undefined, modelPath: string | undefined): Promise<void> {
  const app = await honoStorefront(mode === 'churnkit' ? { dataDir: dataDir!, modelPath: modelPath! } : undefined);
  serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`));
}

function figure(samples: number[], digits: number): Cell {
  return `${median(samples).toFixed(digits)} [${Math.min(...samples).toFixed(digits)}–${Math.max(...samples).toFixed(digits)}]`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, model: { type: 'string', default: 'models/storefront.json' } } });
  const quick = values.quick!;
  const rounds = quick ? 1 : 4;
  const seconds = quick ? 3 : 6;
  const modelPath = resolve(values.model!);
  const startedAt = Date.now();
  const loadAtStart = loadavg()[0]!;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  pinThisProcessToClientCpu();
  const dir = mkdtempSync(join(tmpdir(), 'churnkit-gc-'));
  const httpBench = fileURLToPath(new URL('./http.js', import.meta.url));
  const servers: TracedServer[] = [];
  try {
    await new Promise<void>((done, fail) =>
      spawnOn(SERVER_CPU, [process.execPath, httpBench, '--seed', dir, modelPath, String(CUSTOMERS), ''], 'ignore').once('exit', (code) =>
        code === 0 ? done() : fail(new Error(`seeding the store failed (exit code ${code})`)),
      ),
    );
    type ChildReport = { storefronts: Record<string, { port: number }>; customerIds: string[] };
    let customerIds: string[] = [];
    const express = await startTraced('Express 5: the plain product page', [process.execPath, httpBench, '--serve', 'plain', dir, modelPath, String(CUSTOMERS), ''], (report) => (report as ChildReport).storefronts.plain!.port);
    servers.push(express);
    const withPlugin = await startTraced('Express 5 with churnkit: the declared product page (default cache)', [process.execPath, httpBench, '--serve', 'plugin', dir, modelPath, String(CUSTOMERS), ''], (report) => {
      customerIds = (report as ChildReport).customerIds;
      return (report as ChildReport).storefronts.declared!.port;
    });
    servers.push(withPlugin);
    // The same two apps, each in a process of its own, on createExpressServer.
    servers.push(
      await startTraced('Express 5 on createExpressServer: the plain product page', [process.execPath, httpBench, '--serve', 'plain', dir, modelPath, String(CUSTOMERS), ''], (report) => (report as ChildReport).storefronts.plainExpressServer!.port),
      await startTraced('Express 5 with churnkit on createExpressServer: the declared product page (default cache)', [process.execPath, httpBench, '--serve', 'plugin', dir, modelPath, String(CUSTOMERS), ''], (report) => (report as ChildReport).storefronts.declaredExpressServer!.port),
    );
    const self = fileURLToPath(import.meta.url);
    const portOf = (report: Record<string, unknown>) => report.port as number;
    servers.unshift(
      await startTraced('node:http alone', [process.execPath, self, '--bare', 'plain'], portOf),
      await startTraced("node:http, each response's prototype set as Express 5 sets it", [process.execPath, self, '--bare', 'prototype'], portOf),
      await startTraced('Hono 4 on @hono/node-server', [process.execPath, self, '--hono', 'plain'], portOf),
      await startTraced('Hono 4 on @hono/node-server with churnkit/hono (default cache)', [process.execPath, self, '--hono', 'churnkit', dir, modelPath], portOf),
    );

    for (const server of servers) await run(server, WARM_UP_SECONDS, customerIds);
    const runs = new Map<TracedServer, GcRun[]>(servers.map((server) => [server, []]));
    for (let round = 0; round < rounds; round++) {
      // Servers take turns, in a rotated order each round, so machine drift hits all alike.
      for (let turn = 0; turn < servers.length; turn++) {
        const server = servers[(turn + round) % servers.length]!;
        const measured = await run(server, seconds, customerIds);
        runs.get(server)!.push(measured);
        const pauses = measured.scavenges.map((scavenge) => scavenge.pauseMs);
        log(`round ${round + 1}, ${server.label}: p99 ${measured.latency.p99.toFixed(2)} ms, ${measured.scavenges.length} scavenges (median pause ${pauses.length ? median(pauses).toFixed(2) : '–'} ms)`);
      }
    }

    const rows = servers.map((server): Cell[] => {
      const serverRuns = runs.get(server)!;
      const all = serverRuns.flatMap((measured) => measured.scavenges);
      const perRun = (pick: (scavenges: Scavenge[]) => number) => serverRuns.map((measured) => pick(measured.scavenges));
      return [
        server.label,
        figure(serverRuns.map((measured) => measured.latency.p99), 2),
        figure(serverRuns.map((measured) => measured.latency.p50), 2),
        figure(perRun((scavenges) => scavenges.length / seconds), 1),
        all.length ? figure(perRun((scavenges) => (scavenges.length ? median(scavenges.map((scavenge) => scavenge.pauseMs)) : 0)), 2) : '–',
        all.length ? Math.max(...all.map((scavenge) => scavenge.pauseMs)).toFixed(1) : '–',
        all.length ? figure(perRun((scavenges) => (scavenges.length ? median(scavenges.map((scavenge) => scavenge.promotedBytes)) / 1024 : 0)), 0) : '–',
        serverRuns.reduce((sum, measured) => sum + measured.fullCollectionPausesMs.length, 0),
        figure(serverRuns.map((measured) => (sum(measured.scavenges.map((scavenge) => scavenge.pauseMs)) + sum(measured.fullCollectionPausesMs)) / measured.seconds), 1),
      ];
    });
    for (const row of rows) log(row.join(' | '));
    const results: BenchResults = {
      name: 'gc-floor',
      title: "Garbage collection on the storefront's core: Express 5 against node:http and Hono (npm run bench:gc)",
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      tables: [
        {
          title: `The same product page at ${RATE.toLocaleString('en')} views/s, evenly paced (${rounds} rounds of ${seconds} s per server, taking turns; median over rounds [min–max])`,
          columns: ['server', 'p99 ms', 'p50 ms', 'scavenges per s', 'pause per scavenge, median ms', 'longest scavenge ms', 'promoted per scavenge, median KB', 'full collections in all runs', 'GC pauses, ms per s of load'],
          rows,
        },
      ],
      notes: [
        `Each server runs in a process of its own with --trace-gc-nvp, ${canPin ? `pinned to CPU ${SERVER_CPU}, the load on CPU ${CLIENT_CPU} (taskset)` : 'unpinned (no taskset or fewer than 2 cores)'}; the load is bench/paced-load.ts (request i due at i / rate s, latency from when it was due, up to ${CONNECTIONS} connections), a random one of ${customerIds.length} stored customers per view. Each server first gets ${WARM_UP_SECONDS} s of untimed load.`,
        "Every server renders the same product page (plugin/demo/product-page.ts, the demo's), node:http without routing. The second sets each response's prototype to an object inheriting from ServerResponse.prototype before answering, as Express 5's app.handle does with app.response, and nothing else: every method it then calls is node:http's own.",
        'A scavenge copies what is still alive in the young generation, and objects alive at a second scavenge are promoted (copied again, to the old generation, where only a full collection frees them): its pause grows with what survives, not with the garbage. "Promoted" is what each scavenge moved to the old generation. "GC pauses" adds the scavenges\' pauses and the full collections\' final pauses (not their incremental marking steps, which also run on the page\'s thread). A p99 over views arriving at a fixed rate is larger than the longest pause: the views due during a pause queue behind it.',
        "The Hono servers are Hono 4 on @hono/node-server: the page, and the same page behind churnkit/hono's middleware on the same seeded SQLite store, with the demo's policy and the default cache (the offer it chose in the page, as on the Express storefront).",
        "The Express pages are bench:http's own storefronts (--serve plain, --serve plugin) on a store seeded like the demo; the churnkit page is its declared product page with the default cache. churnkit's cache keeps each customer's features and answer for cacheTtlMs (5 s), so those survive by design, on either framework.",
        "\"On createExpressServer\": the same Express apps, each in a process of its own, served by churnkit/express's createExpressServer(app) instead of app.listen: node:http builds each request and response with constructors whose prototypes are app.request and app.response, so the prototype Express 5 sets in app.handle is the one they already have, and nothing else differs.",
        `Run mode: ${quick ? 'quick (1 round of 3 s: a smoke test, written to a scratch file)' : 'full'}. Took ${Math.round((Date.now() - startedAt) / 1000)} s; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (on ${cpus().length} cores).`,
      ],
      raw: Object.fromEntries(servers.map((server) => [server.label, runs.get(server)!.map((measured) => ({ latencyMs: measured.latency, scavenges: measured.scavenges, fullCollectionPausesMs: measured.fullCollectionPausesMs }))])),
    };
    log(`wrote ${writeResults(results, { scratch: quick })}`);
    if (!quick) log(`wrote ${writeReport().markdownFile}`);
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--bare') serveBare(rest[0]!);
else if (mode === '--hono')
  serveHono(rest[0]!, rest[1], rest[2]).catch((error: unknown) => {
    process.stderr.write(`bench:gc --hono: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
else
  main().catch((error: unknown) => {
    process.stderr.write(`bench:gc: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
