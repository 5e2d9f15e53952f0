/**
 * `npm run bench:http` — what the Express plugin costs a storefront, over loopback HTTP:
 *   1. a product page route scored by the plugin (store read, scoring, policy) against the
 *      same route without the plugin, alternated A B, B A, … in one run: throughput ratio and
 *      added p99 latency. Scored the recommended way for a hot route (declared with
 *      `plugin.scoreRoute()`, synchronous handler) and the lazy way (`await req.churn`);
 *   2. `POST /churn/score` requests/s and p99;
 *   3. `POST /churn/events` sustained events/s with durability on (SQLite, synchronous=FULL).
 * The storefronts run in two child processes (`--serve plain|plugin`), the plugin's
 * seeded like the demo store; the plain one has a heap of its own, so it never pays for
 * the plugin's garbage collection, and
 * autocannon's client never shares the server's event loop. Writes bench/results/http.json.
 *
 * @example
 *   npm run build && node dist/bench/http.js --quick --model models/storefront.json
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { churn } from '../plugin/index.js';
import { DEMO_POLICY } from '../plugin/demo/demo-policy.js';
import { renderProductPage } from '../plugin/demo/product-page.js';
import { seedStore } from '../plugin/demo/seed-store.js';
import { resolveOptions } from '../plugin/options.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import { machineInfo, writeResults, type BenchResults, type Cell } from './results-file.js';
import { repoRoot } from './repo-root.js';

/** The part of autocannon's result this bench reads (the package ships no types). */
interface AutocannonResult {
  duration: number;
  non2xx: number;
  errors: number;
  '2xx': number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

/** A storefront: where it listens, and where its process reports its CPU time. */
interface Storefront {
  port: number;
  /** GET /cpu: the storefront process's event-loop thread CPU time so far, in µs. */
  probePort: number;
}

/** What a `--serve` child reports once its storefronts listen. */
interface ChildReport {
  storefronts: Record<string, Storefront>;
  customerIds: string[];
}

/** The storefronts under test, from both children. */
interface ServedStorefronts {
  plain: Storefront;
  /** Product pages declared with `plugin.scoreRoute()`; the plugin's router at /churn. */
  declared: Storefront;
  /** The plugin mounted app-wide; product pages `await req.churn`. */
  lazy: Storefront;
  customerIds: string[];
}

/**
 * CPU time of this process's event-loop thread, in µs. Throughput on a shared 2-core
 * machine moves with everything else running; the server thread's CPU per request moves
 * much less. Linux gives it per thread (/proc, 10 ms ticks: fine over seconds of load);
 * elsewhere the whole process's time stands in, GC and I/O threads included.
 */
function eventLoopCpuMicros(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  }
}

const CONNECTIONS = 10;
const EVENTS_PER_BATCH = 50;
const THROUGHPUT_TARGET = 0.9;
/** A typical primary-key query to the store's own database, in ms. */
const CATALOGUE_QUERY_MS = 2;

// ---- the children: the plain storefront, and two with the plugin ----------------------

async function serve(role: 'plain' | 'plugin', dataDir: string, modelPath: string, customers: number): Promise<void> {
  const listen = (app: express.Express) =>
    new Promise<number>((ready) => {
      const server: Server = app.listen(0, '127.0.0.1', () => {
        const address = server.address();
        ready(typeof address === 'object' && address ? address.port : 0);
      });
    });
  const probe = express();
  probe.get('/cpu', (_req, res) => {
    res.json(eventLoopCpuMicros());
  });
  const probePort = await listen(probe);
  // The same page behind a catalogue query, as real product pages are: the query is
  // simulated by a timer (I/O: it waits without using the CPU).
  const catalogueQueryPage: express.RequestHandler = async (req, res) => {
    await new Promise((done) => setTimeout(done, CATALOGUE_QUERY_MS));
    renderProductPage(req, res);
  };
  /** Listens with every storefront, then tells the parent where (one JSON line on stdout). */
  const report = async (storefronts: Record<string, express.Express>, customerIds: string[]) => {
    const listening: Record<string, Storefront> = {};
    for (const [name, app] of Object.entries(storefronts)) listening[name] = { port: await listen(app), probePort };
    const child: ChildReport = { storefronts: listening, customerIds };
    process.stdout.write(`${JSON.stringify(child)}\n`);
  };

  if (role === 'plain') {
    const plain = express();
    plain.get('/products/:id', renderProductPage);
    plain.get('/catalogue-products/:id', catalogueQueryPage);
    await report({ plain }, []);
    return;
  }

  const store = openSqliteStore({ dataDir });
  const pluginOptions = { model: modelPath, store, identify: (req: express.Request) => req.get('x-customer-id'), ...DEMO_POLICY };
  const plugin = churn(pluginOptions);
  await plugin.ready();
  const seeding = openSqliteStore({ dataDir, durability: 'normal' });
  await seedStore({
    store: seeding,
    model: await plugin.model(),
    policy: resolveOptions(pluginOptions).policy,
    customers,
    seed: 7,
    now: Date.now(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  await seeding.close();

  const declared = express();
  declared.use('/churn', plugin.router());
  declared.get('/products/:id', plugin.scoreRoute(), renderProductPage);
  declared.get('/catalogue-products/:id', plugin.scoreRoute(), catalogueQueryPage);
  const lazy = express();
  lazy.use(plugin);
  lazy.get('/products/:id', async (req, res) => {
    res.locals.churn = await req.churn;
    renderProductPage(req, res);
  });
  const customerIds = (await store.listCustomers(customers)).map((customer) => customer.customerId);
  await report({ declared, lazy }, customerIds);
}

// ---- the parent: autocannon against the children ----------------------------------------

function startChild(role: 'plain' | 'plugin', dataDir: string, modelPath: string, customers: number): Promise<{ child: ChildProcess; report: ChildReport }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', role, dataDir, modelPath, String(customers)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ready, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) ready({ child, report: JSON.parse(output.slice(0, newline)) as ChildReport });
    });
    child.once('exit', (code) => fail(new Error(`the ${role} storefront process exited with code ${code} before listening`)));
  });
}

async function startStorefronts(dataDir: string, modelPath: string, customers: number): Promise<{ children: ChildProcess[]; served: ServedStorefronts }> {
  const withPlugin = await startChild('plugin', dataDir, modelPath, customers);
  const plain = await startChild('plain', dataDir, modelPath, customers).catch((error: unknown) => {
    withPlugin.child.kill('SIGKILL');
    throw error;
  });
  const { declared, lazy } = withPlugin.report.storefronts;
  return {
    children: [withPlugin.child, plain.child],
    served: { plain: plain.report.storefronts.plain!, declared: declared!, lazy: lazy!, customerIds: withPlugin.report.customerIds },
  };
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** A load run, with the storefront's event-loop CPU time per request over it. */
type PageRun = AutocannonResult & { serverCpuMicrosPerRequest: number };

/** Product page views (`path` + product id), each by a random stored customer. */
async function productPageLoad(served: ServedStorefronts, storefront: Storefront, path: string, seconds: number): Promise<PageRun> {
  const serverCpu = async () => (await (await fetch(`http://127.0.0.1:${storefront.probePort}/cpu`)).json()) as number;
  const before = await serverCpu();
  const result = await autocannon({
    url: `http://127.0.0.1:${storefront.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: `${path}/p-100`, headers: { 'x-customer-id': pick(served.customerIds) } }) }],
  });
  return { ...result, serverCpuMicrosPerRequest: ((await serverCpu()) - before) / Math.max(1, result.requests.total) };
}

/** One page measured without and with the plugin, A B, then B A, and so on. */
interface PageComparison {
  page: string;
  path: string;
  withPluginAt: Storefront;
  plain: PageRun[];
  withPlugin: PageRun[];
}

function postLoad(port: number, path: string, seconds: number, body: () => unknown): Promise<AutocannonResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body()),
        }),
      },
    ],
  });
}

function randomEvent(customerIds: readonly string[]): Record<string, unknown> {
  const type = pick(['page_view', 'page_view', 'page_view', 'search', 'add_to_cart', 'order']);
  return type === 'order'
    ? { customerId: pick(customerIds), type, value: Math.round(Math.random() * 20_000) / 100, quantity: 1, channel: 'web' }
    : { customerId: pick(customerIds), type, category: 'electronics', channel: 'web' };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      model: { type: 'string', default: join(repoRoot(), 'models', 'storefront.json') },
      seconds: { type: 'string' },
      customers: { type: 'string', default: '2000' },
    },
  });
  const modelPath = resolve(values.model!);
  if (!existsSync(modelPath)) {
    throw new Error(`no model at ${modelPath}: pass --model <file> (train one with churnkit generate → features → train)`);
  }
  const seconds = values.seconds ? Number(values.seconds) : values.quick ? 3 : 6;
  // Many short rounds rather than a few long ones: this machine's speed jumps between two
  // levels, and each round's with/without pair is measured moments apart.
  const rounds = values.quick ? 2 : 5;
  const customers = Number(values.customers);
  if (!(seconds > 0) || !Number.isInteger(customers) || customers < 10) {
    throw new Error(`--seconds must be > 0 and --customers an integer >= 10, got ${values.seconds} and ${values.customers}`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-bench-http-'));
  const { children, served } = await startStorefronts(dataDir, modelPath, customers);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const ids = served.customerIds;
    log(`warming up the storefronts (${customers} customers seeded)`);
    for (const storefront of [served.plain, served.declared, served.lazy]) {
      await productPageLoad(served, storefront, '/products', Math.min(2, seconds));
    }

    const pages: PageComparison[] = [
      { page: 'bare product page (no I/O), declared per route', path: '/products', withPluginAt: served.declared, plain: [], withPlugin: [] },
      { page: 'bare product page (no I/O), lazy await req.churn', path: '/products', withPluginAt: served.lazy, plain: [], withPlugin: [] },
      {
        page: `product page behind a ${CATALOGUE_QUERY_MS} ms catalogue query, declared per route`,
        path: '/catalogue-products',
        withPluginAt: served.declared,
        plain: [],
        withPlugin: [],
      },
    ];
    for (let round = 1; round <= rounds; round++) {
      for (const page of pages) {
        // Who goes first alternates, so neither side always runs on a machine just woken up.
        const measure = (storefront: Storefront) => productPageLoad(served, storefront, page.path, seconds);
        if (round % 2 === 1) {
          page.plain.push(await measure(served.plain));
          page.withPlugin.push(await measure(page.withPluginAt));
        } else {
          page.withPlugin.push(await measure(page.withPluginAt));
          page.plain.push(await measure(served.plain));
        }
        const [without, withIt] = [page.plain.at(-1)!, page.withPlugin.at(-1)!];
        log(
          `round ${round}/${rounds}, ${page.page}: ${round1(without.requests.average)} req/s without (${round1(without.serverCpuMicrosPerRequest)} µs server CPU each), ` +
            `${round1(withIt.requests.average)} req/s with the plugin (${round1(withIt.serverCpuMicrosPerRequest)} µs)`,
        );
      }
    }
    const score = await postLoad(served.declared.port, '/churn/score', seconds, () => ({ customerId: pick(ids) }));
    log(`POST /churn/score: ${round1(score.requests.average)} req/s, p99 ${score.latency.p99} ms`);
    const singleEvents = await postLoad(served.declared.port, '/churn/events', seconds, () => ({ events: [randomEvent(ids)] }));
    const batchEvents = await postLoad(served.declared.port, '/churn/events', seconds, () => ({
      events: Array.from({ length: EVENTS_PER_BATCH }, () => randomEvent(ids)),
    }));
    log(`POST /churn/events: ${round1(singleEvents['2xx'] / singleEvents.duration)} events/s one per request, ${round1((batchEvents['2xx'] * EVENTS_PER_BATCH) / batchEvents.duration)} events/s in batches of ${EVENTS_PER_BATCH}`);

    const pageRows = (page: PageComparison): Cell[][] =>
      (['without the plugin', 'with the plugin'] as const).map((variant) => {
        const results = variant === 'with the plugin' ? page.withPlugin : page.plain;
        return [
          page.page,
          variant,
          round1(median(results.map((result) => result.requests.average))),
          median(results.map((result) => result.latency.p50)),
          median(results.map((result) => result.latency.p99)),
          results.map((result) => round1(result.requests.average)).join(' / '),
          round1(median(results.map((result) => result.serverCpuMicrosPerRequest))),
          results.reduce((sum, result) => sum + result.non2xx + result.errors, 0),
        ];
      });
    const compare = (page: PageComparison) => {
      // Round by round: each pair ran back to back, so drift between rounds cancels out.
      const ratios = page.withPlugin.map((result, round) => result.requests.average / page.plain[round]!.requests.average);
      const ratio = median(ratios);
      const addedP99 = median(page.withPlugin.map((r) => r.latency.p99)) - median(page.plain.map((r) => r.latency.p99));
      // What the plugin adds to the server's own CPU per request, and the throughput that
      // leaves a CPU-bound server (plain CPU / plugin CPU), again round by round.
      const addedCpuMicros = median(page.withPlugin.map((result, round) => result.serverCpuMicrosPerRequest - page.plain[round]!.serverCpuMicrosPerRequest));
      const cpuRatio = median(page.withPlugin.map((result, round) => page.plain[round]!.serverCpuMicrosPerRequest / result.serverCpuMicrosPerRequest));
      return { ratio, ratios, addedP99, addedCpuMicros, cpuRatio };
    };
    const [declared, lazy, realistic] = pages.map(compare) as [ReturnType<typeof compare>, ReturnType<typeof compare>, ReturnType<typeof compare>];
    const ratioText = (comparison: ReturnType<typeof compare>) =>
      `${round2(comparison.ratio)} (median of the rounds' ratios ${comparison.ratios.map(round2).join(' / ')}; ` +
      `by the server's event-loop CPU per request, +${round1(comparison.addedCpuMicros)} µs, ratio ${round2(comparison.cpuRatio)})`;
    const routeRow = (route: string, result: AutocannonResult, eventsPerRequest: number | null): Cell[] => [
      route,
      round1(result.requests.average),
      eventsPerRequest === null ? '–' : round1((result['2xx'] * eventsPerRequest) / result.duration),
      result.latency.p50,
      result.latency.p99,
      result.non2xx + result.errors,
    ];
    const results: BenchResults = {
      name: 'http',
      title: 'HTTP: the Express plugin in a storefront',
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      tables: [
        {
          title: `Product page with and without the plugin (A B, B A, … ${rounds} rounds of ${seconds} s, ${CONNECTIONS} connections)`,
          columns: ['page', 'variant', 'requests/s (median)', 'p50 ms', 'p99 ms', 'requests/s per round', 'server CPU µs/request', 'non-2xx + errors'],
          rows: pages.flatMap(pageRows),
        },
        {
          title: `Plugin routes (${seconds} s each, ${CONNECTIONS} connections, SQLite synchronous=FULL)`,
          columns: ['route', 'requests/s', 'events/s', 'p50 ms', 'p99 ms', 'non-2xx + errors'],
          rows: [
            routeRow('POST /churn/score', score, null),
            routeRow('POST /churn/events (1 event per request)', singleEvents, 1),
            routeRow(`POST /churn/events (${EVENTS_PER_BATCH} events per request)`, batchEvents, EVENTS_PER_BATCH),
          ],
        },
      ],
      notes: [
        `Bare product page declared with plugin.scoreRoute(): throughput with/without the plugin ${ratioText(declared)}, added p99 ${round2(declared.addedP99)} ms. The bare route does almost nothing besides Express itself, so this ratio is the plugin's CPU cost per request (store read, features, MLP prediction, policy) against Express's own. A customer seen within cacheTtlMs gets the answer remembered from that view, in the same tick, and the handler stays synchronous.`,
        `The same page reading req.churn lazily (an async handler awaiting it, the plugin mounted app-wide): ${ratioText(lazy)}, added p99 ${round2(lazy.addedP99)} ms. The assessment is the same; what differs is the async handler and the per-request accessor.`,
        `Product page behind a ${CATALOGUE_QUERY_MS} ms catalogue query, declared per route: throughput with/without ${ratioText(realistic)}, added p99 ${round2(realistic.addedP99)} ms. Real product pages wait on their own database; the plugin's work is done before the query starts, on the same event loop thread.`,
        'The storefronts run in child processes (the plain one alone in its own, so it never pays for the plugin\'s garbage collection) and autocannon in this one, over loopback; on a 2-core machine they still compete for the cores, so absolute figures are a floor.',
        "Server CPU µs/request is the storefront process's event-loop thread time over the run divided by the requests served (Linux /proc, per thread): it moves far less with the machine's load than requests/s, and its ratio is the throughput a CPU-bound server keeps.",
        `The store is seeded like the demo (${customers} generated customers, a week of simulated decisions); every request picks a random stored customer, and the plugin's product page reads their state, scores, and runs the policy (logging a decision when one pays).`,
        'Events are acknowledged only after the SQLite transaction commits with synchronous=FULL (one fsync per request), so events/s is bounded by the disk\'s fsync rate; batching amortises it.',
      ],
      targets: [
        {
          name: 'bare product page, declared per route: throughput with the plugin / without',
          measured: round2(declared.ratio),
          target: `>= ${THROUGHPUT_TARGET.toFixed(2)}`,
          met: declared.ratio >= THROUGHPUT_TARGET,
        },
        {
          name: `product page behind a ${CATALOGUE_QUERY_MS} ms catalogue query, declared per route: throughput with the plugin / without`,
          measured: round2(realistic.ratio),
          target: `>= ${THROUGHPUT_TARGET.toFixed(2)}`,
          met: realistic.ratio >= THROUGHPUT_TARGET,
        },
      ],
      raw: { declared, lazy, realistic },
    };
    log(`wrote ${writeResults(results)}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const serveAt = process.argv.indexOf('--serve');
  const main =
    serveAt >= 0
      ? serve(process.argv[serveAt + 1] === 'plain' ? 'plain' : 'plugin', process.argv[serveAt + 2]!, process.argv[serveAt + 3]!, Number(process.argv[serveAt + 4]))
      : run();
  main.catch((error: unknown) => {
    process.stderr.write(`bench:http: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
