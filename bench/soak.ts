/**
 * `npm run bench:soak` — the load and soak figures of issue 11, over loopback HTTP against a
 * storefront process running the Express plugin on its default kind of store (SQLite, full
 * durability) and the shipped model on the WebAssembly kernel:
 *
 *   1. load: `POST /churn/score` and `POST /churn/events` (and, as their peer, a bare Express
 *      JSON route) with 1, 2, 4, … connections until p99 passes 50 ms; the highest rate served
 *      with p99 under 50 ms is reported;
 *   2. mixed: sustained traffic until a million scores were served (`--scores`), normal and
 *      hostile mixed (80 % scores of returning customers, 5 % events with ids to customers of
 *      their own, 15 % the attacks of hostile-traffic.ts); every answer's status counted
 *      against what it must be (no 5xx, no attack accepted), every acknowledged event looked
 *      for in the store afterwards (lost or stored twice), and the storefront's V8 heap, RSS
 *      and the WebAssembly memory of its live networks sampled after a forced GC (and 250 ms
 *      for V8 to unmap what it freed): the slope after warm-up, in bytes per 1,000 scores;
 *   3. hot-swap: 100 models `PUT /churn/model` while scores run, every answer checked: its
 *      probability must be exactly what its `modelVersion` gives for that record.
 *
 * The storefront runs in a child process, autocannon in this one. Writes bench/results/reliability/soak-*.json and re-renders
 * the "Reliability" section of bench/RESULTS.md. `--phases load,mixed,swaps` runs some of
 * them (each writes its own `soak-<phase>.json`); `--quick` is shorter (100,000 scores);
 * `--smoke --out <folder>` is npm test's reduced run (one load step per route, 5,000 scores, 10
 * swaps), written to `<folder>` only.
 *
 * @example
 *   npm run build && npm run bench:soak -- --quick
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { churn } from '../plugin/express/index.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import type { Engine, Network } from '../src/engine/types.js';
import { generateEvents } from '../src/generate/index.js';
import { loadModel } from '../src/model/churn-model.js';
import { decodeWeights, parseModelFile, serializeModel, type ModelFileV1 } from '../src/model/model-file.js';
import { loadEngine } from '../src/node/index.js';
import type { ChurnStore } from '../plugin/store/types.js';
import { hostileRequests } from './hostile-traffic.js';
import { P99_BOUND_MS, reliabilityInputs, writeReliability, type LoadInput, type LoadStep, type Measured, type MixedInput, type SwapsInput } from './reliability-report.js';
import { fitSlope } from './stats.js';
import { repoRoot } from './repo-root.js';

/** The part of autocannon's API this bench uses (the package ships no types). */
interface LoadResult {
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
}
interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** `context` is the connection's own: what one request leaves there, its response finds. */
  setupRequest?: (request: LoadRequest, context: Record<string, unknown>) => LoadRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds without an answer before a request counts as a timeout (autocannon's default 10). */
  timeout?: number;
  duration?: number;
  amount?: number;
  requests: LoadRequest[];
}
/** A run in progress: awaitable for its result, and stoppable (autocannon's tracker). */
type LoadRun = PromiseLike<LoadResult> & { stop(): void };
const autocannon = createRequire(import.meta.url)('autocannon') as (options: LoadOptions) => LoadRun;

const ADMIN_TOKEN = 'soak-admin-token-0123456789';
/** After the forced GC of a memory sample, how long to wait for V8 to give the freed pages back before reading the resident set (the heap is read at once). */
const UNMAP_WAIT_MS = 250;
/** Where the connection ladder stops if p99 never reaches the bound. */
const MAX_CONNECTIONS = 256;
const SWAPS = 100;
/** Records the swap phase scores, anonymously: its answers depend on the model version alone. */
const SWAP_RECORDS = [
  { recency_days: 3, log_orders_total: 2.1, log_events_30d: 3.2, has_ordered: 1 },
  { recency_days: 120, log_orders_total: 0.7, has_ordered: 1 },
  { recency_days: 400, log_orders_total: 0, has_ordered: 0, log_events_30d: 0 },
  { tenure_days: 30, log_sessions_30d: 1.1 },
];

// ---- the storefront (child process) ------------------------------------------------------

/** Seeds `customers` generated customers (four months of events up to now), durability off: it can be redone. */
async function seed(dataDir: string, customers: number): Promise<string[]> {
  const store = openSqliteStore({ dataDir, durability: 'normal' });
  const days = 120;
  const start = new Date(Date.now() - (days + 1) * 86_400_000).toISOString().slice(0, 10);
  let batch = [];
  for (const event of generateEvents({ customers, days, seed: 11, startDate: start })) {
    batch.push(event);
    if (batch.length === 5_000) {
      await store.appendEvents(batch);
      batch = [];
    }
  }
  await store.appendEvents(batch);
  const ids = (await store.listCustomers(customers)).map((customer) => customer.customerId);
  await store.close();
  return ids;
}

/** The kernel, with every network it creates remembered weakly: their WebAssembly memory is what the probe reports. */
function watchedEngine(kernel: Engine): { engine: Engine; live: () => Network[] } {
  const networks = new Set<WeakRef<Network>>();
  return {
    engine: {
      kind: kernel.kind,
      createNetwork(shape, options) {
        const network = kernel.createNetwork(shape, options);
        networks.add(new WeakRef(network));
        return network;
      },
    },
    live: () => {
      const alive: Network[] = [];
      for (const ref of networks) {
        const network = ref.deref();
        if (network === undefined) networks.delete(ref);
        else alive.push(network);
      }
      return alive;
    },
  };
}

async function serve(dataDir: string, modelPath: string, customers: number): Promise<void> {
  const customerIds = await seed(dataDir, customers);
  const { engine, live } = watchedEngine(await loadEngine({ fallback: 'error' }));
  const store: ChurnStore = openSqliteStore({ dataDir });
  const plugin = churn({
    model: modelPath,
    store,
    engine,
    identify: (req) => req.get('x-customer-id'),
    adminToken: ADMIN_TOKEN,
    policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3 }, { name: 'email', cost: 0.1, successRate: 0.02, cooldownMs: 3 * 86_400_000 }] },
    holdoutFraction: 0.1,
    dailyBudget: 1_000_000,
  });
  await plugin.ready();
  let scores = 0;
  const app = express();
  app.use('/churn/score', (_req, _res, next) => {
    scores++;
    next();
  });
  app.use('/churn', plugin.router());
  // The peer of the load figures: a bare Express JSON route in the same process, measured the
  // same way, so the machine's speed at that moment is part of the result.
  app.post('/plain', express.json(), (req, res) => {
    res.json({ status: 'ok', echoed: typeof (req.body as { customerId?: unknown }).customerId });
  });
  // The probe answers on its own port, so its requests never count as load.
  const probe = express();
  probe.get('/memory', async (_req, res) => {
    (globalThis as { gc?: () => void }).gc?.();
    // The heap right after the collection: what is live (the traffic goes on allocating).
    const heap = process.memoryUsage();
    const networks = live();
    // V8 unmaps the pages a collection freed on a background thread, within tens of ms: read
    // at once, the resident set still holds them (up to about 50 MiB more here, as much as
    // that collection happened to free), and its slope measures that draw, not growth.
    await new Promise((resolve) => setTimeout(resolve, UNMAP_WAIT_MS));
    res.json({
      scores,
      loadAverage: loadavg()[0]!,
      heapUsed: heap.heapUsed,
      // What the resident set holds besides live objects: the heap V8 has reserved, and memory outside it (Buffers, SQLite's, the kernel's).
      heapTotal: heap.heapTotal,
      external: heap.external,
      rss: process.memoryUsage.rss(),
      wasmBytes: networks.reduce((sum, network) => sum + network.input.buffer.byteLength, 0),
      networks: networks.length,
    });
  });
  // How many events the store holds for each customer asked (the lost-events check).
  probe.post('/stored', express.json({ limit: '10mb' }), async (req, res) => {
    const counts: Record<string, number> = {};
    for (const customerId of req.body as string[]) counts[customerId] = (await store.getCustomerState(customerId))?.eventsTotal ?? 0;
    res.json(counts);
  });
  const listen = (served: express.Express) =>
    new Promise<number>((ready) => {
      const server: Server = served.listen(0, '127.0.0.1', () => {
        const address = server.address();
        ready(typeof address === 'object' && address ? address.port : 0);
      });
      // Node's request timeouts count from a kept-alive connection's first request: over a
      // long soak the probe's own connection was answered 408. Loopback, no client to guard against.
      server.requestTimeout = 0;
      server.headersTimeout = 0;
    });
  process.stdout.write(`${JSON.stringify({ port: await listen(app), probePort: await listen(probe), customerIds, engine: (await plugin.model()).engine })}\n`);
}

// ---- the load (this process) -------------------------------------------------------------

interface Storefront {
  child: ChildProcess;
  port: number;
  probePort: number;
  customerIds: string[];
  engine: string;
}

/**
 * The storefront in a process of its own, so autocannon never shares its event loop. Not
 * pinned to a core: on this shared machine a pinned process waits for its one core behind
 * everyone else's work (a bare route's p50 went from under a millisecond to 31 ms), where
 * the scheduler otherwise runs it on whichever core frees first.
 */
function startStorefront(dataDir: string, modelPath: string, customers: number): Promise<Storefront> {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--serve', dataDir, modelPath, String(customers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ready, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) ready({ child, ...(JSON.parse(output.slice(0, output.indexOf('\n'))) as Omit<Storefront, 'child'>) });
    });
    child.once('exit', (code) => fail(new Error(`the storefront exited with code ${code} before listening`)));
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const json = { 'content-type': 'application/json' };

/** A route under load: what is sent, and how it is named in the results. */
interface LoadedRoute {
  name: string;
  path: string;
  body: () => unknown;
}

/**
 * Closed-loop load, doubling the connections (1, 2, 4, …): at each level every route still
 * climbing runs one step, back to back, so routes compared with each other (a route and its
 * peer) meet the machine in the same state. A route stops at the first step whose p99 reaches
 * the bound or that has errors; the passing step that served most is the rate it held.
 * (autocannon's fixed-rate mode sends every connection's request in the same tick: bursts of
 * 50 made a bare route's p50 14 ms at 200 req/s, where one connection alone is served in
 * under a millisecond at 2,000 req/s. Closed loops measure the server, not the bursts.)
 */
async function climb(storefront: Storefront, routes: LoadedRoute[], stepSeconds: number, log: (line: string) => void, maxSteps: number): Promise<LoadInput['routes']> {
  const results = routes.map((route) => ({ route: route.name, stepSeconds, steps: [] as LoadStep[], held: null as LoadStep | null, climbing: true }));
  for (let connections = 1, stepIndex = 0; stepIndex < maxSteps && connections <= MAX_CONNECTIONS && results.some((result) => result.climbing); connections *= 2, stepIndex++) {
    for (const [index, route] of routes.entries()) {
      const result = results[index]!;
      if (!result.climbing) continue;
      const run = await autocannon({
        url: `http://127.0.0.1:${storefront.port}`,
        connections,
        duration: stepSeconds,
        requests: [{ method: 'POST', path: route.path, headers: json, setupRequest: (request) => ({ ...request, body: JSON.stringify(route.body()) }) }],
      });
      const step: LoadStep = { connections, served: run.requests.total / run.duration, p50Ms: run.latency.p50, p99Ms: run.latency.p99, errors: run.non2xx + run.errors + run.timeouts, loadAverage: loadavg()[0]! };
      result.steps.push(step);
      log(`${route.name}, ${connections} connections: ${Math.round(step.served)} req/s, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, errors ${step.errors} (load average ${step.loadAverage.toFixed(1)})`);
      if (step.p99Ms >= P99_BOUND_MS || step.errors > 0) result.climbing = false;
      else if (result.held === null || step.served > result.held.served) result.held = step;
    }
  }
  return results.map(({ climbing: _climbing, ...result }) => result);
}

/**
 * One request to the storefront on a connection of its own (`agent: false`): fetch's pooled
 * keep-alive connections hung (or were answered 408) in this process once autocannon had run
 * for minutes, a PUT /churn/model as well as the probe's reads.
 */
function send(port: number, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const sent = text === undefined ? headers : { ...json, ...headers, 'content-length': String(Buffer.byteLength(text)) };
    const call = request({ host: '127.0.0.1', port, path, method, agent: false, headers: sent }, (answer) => {
      let received = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (received += chunk));
      answer.on('end', () => done({ status: answer.statusCode ?? 0, text: received }));
    });
    call.on('error', fail);
    call.end(text);
  });
}

/** A read of the storefront's probe port (its own port, so its requests never count as load). */
async function probe<T>(storefront: Storefront, path: string, body?: unknown): Promise<T> {
  const answer = await send(storefront.probePort, body === undefined ? 'GET' : 'POST', path, body);
  if (answer.status !== 200) throw new Error(`the storefront's probe answered ${answer.status} to ${path}: ${answer.text}`);
  return JSON.parse(answer.text) as T;
}

function memorySample(storefront: Storefront) {
  return probe<MixedInput['samples'][number]>(storefront, '/memory');
}

/** Customers of their own for the mixed phase's events: their event counts are checked against what was acknowledged. */
const EVENT_CUSTOMERS = 200;

/** What every answer of the mixed phase is counted as. */
function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

async function soakMixed(storefront: Storefront, scores: number, log: (line: string) => void): Promise<Omit<MixedInput, keyof Measured>> {
  const started = performance.now();
  const samples: MixedInput['samples'] = [await memorySample(storefront)];
  const base = samples[0]!.scores;
  const attacks = hostileRequests('/churn', storefront.customerIds[0]!);
  const tally = {
    scores: { sent: 0, statuses: {} as Record<string, number>, unavailable: 0 },
    events: { sent: 0, statuses: {} as Record<string, number> },
    hostile: Object.fromEntries(attacks.map((attack) => [attack.name, { sent: 0, expected: attack.expected, statuses: {} as Record<string, number> }])),
  };
  const acknowledged = new Map<string, number>();
  // Events sent, and answered (any status), per customer: those sent but unanswered when the load stopped were in flight.
  const sentEvents = new Map<string, number>();
  const answeredEvents = new Map<string, number>();
  let eventSeq = 0;
  const count = (statuses: Record<string, number>, status: number) => {
    statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
  };
  const load = autocannon({
    url: `http://127.0.0.1:${storefront.port}`,
    connections: 10,
    duration: 24 * 3_600,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/churn/score',
        setupRequest: (request, context) => {
          const draw = Math.random();
          if (draw < 0.8) {
            // Returning customers (the customer cache at work), a quarter with request fields (a fresh prediction each).
            context.kind = 'score';
            tally.scores.sent++;
            const body = Math.random() < 0.25 ? { customerId: pick(storefront.customerIds), record: { log_events_30d: Math.random() * 3 } } : { customerId: pick(storefront.customerIds) };
            return { ...request, method: 'POST', path: '/churn/score', headers: json, body: JSON.stringify(body) };
          }
          if (draw < 0.85) {
            const customerId = `soak-events-${eventSeq % EVENT_CUSTOMERS}`;
            const id = `soak-${eventSeq++}`;
            context.kind = 'event';
            context.customerId = customerId;
            tally.events.sent++;
            sentEvents.set(customerId, (sentEvents.get(customerId) ?? 0) + 1);
            return { ...request, method: 'POST', path: '/churn/events', headers: json, body: JSON.stringify({ events: [{ customerId, id, type: pick(['page_view', 'search', 'add_to_cart', 'order']), value: 25 }] }) };
          }
          const attack = pick(attacks);
          context.kind = attack.name;
          tally.hostile[attack.name]!.sent++;
          return { ...request, method: attack.method, path: attack.path, headers: attack.headers, body: attack.body ?? '' };
        },
        onResponse: (status, body, context) => {
          if (context.kind === 'score') {
            count(tally.scores.statuses, status);
            if (status === 200 && (JSON.parse(body) as { status: string }).status !== 'ok') tally.scores.unavailable++;
          } else if (context.kind === 'event') {
            count(tally.events.statuses, status);
            answeredEvents.set(context.customerId as string, (answeredEvents.get(context.customerId as string) ?? 0) + 1);
            if (status === 201) acknowledged.set(context.customerId as string, (acknowledged.get(context.customerId as string) ?? 0) + 1);
          } else {
            count(tally.hostile[context.kind as string]!.statuses, status);
          }
        },
      },
    ],
  });
  let running = true;
  const sampling = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      if (!running) break;
      const sample = await memorySample(storefront);
      samples.push(sample);
      log(`mixed: ${sample.scores - base} scores, heap ${(sample.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(sample.rss / 2 ** 20).toFixed(1)} MiB, load average ${loadavg()[0]!.toFixed(1)}`);
      // Done, or stalled (no score served over a whole sampling interval: reported, not waited out).
      const previous = samples[samples.length - 2]!;
      if (sample.scores - base >= scores || sample.scores === previous.scores) load.stop();
    }
  })();
  const result = await load;
  running = false;
  await sampling;
  log('mixed: traffic stopped; checking the stored events');
  samples.push(await memorySample(storefront));
  // Every acknowledged event must be in the store, once: the events went to customers of their own.
  // Stopping the load cuts off requests in flight: such an event may be stored with its answer
  // never read, so it is neither lost nor stored unacknowledged; anything beyond it is.
  const stored = await probe<Record<string, number>>(storefront, '/stored', [...sentEvents.keys()]);
  let lost = 0;
  let extra = 0;
  for (const [customerId, sent] of sentEvents) {
    const held = stored[customerId] ?? 0;
    const count = acknowledged.get(customerId) ?? 0;
    const inFlight = sent - (answeredEvents.get(customerId) ?? 0);
    if (held < count) lost += count - held;
    else extra += Math.max(0, held - count - inFlight);
  }
  const relative = samples.map((sample) => ({ ...sample, scores: sample.scores - base }));
  const served = relative[relative.length - 1]!.scores;
  const warmupScores = Math.round(served * 0.2);
  const steady = relative.filter((sample) => sample.scores >= warmupScores);
  const perThousand = (key: 'heapUsed' | 'rss' | 'wasmBytes') => fitSlope(steady.map((sample) => ({ x: sample.scores / 1000, y: sample[key] }))).slope;
  const slopes = { heapUsed: perThousand('heapUsed'), rss: perThousand('rss'), wasmBytes: perThousand('wasmBytes') };
  const all = [tally.scores.statuses, tally.events.statuses, ...Object.values(tally.hostile).map((attack) => attack.statuses)];
  const serverErrors = all.reduce((sum, statuses) => sum + Object.entries(statuses).filter(([status]) => status.startsWith('5')).reduce((n, [, k]) => n + k, 0), 0);
  const hostileAccepted = Object.values(tally.hostile).reduce((sum, attack) => sum + Object.entries(attack.statuses).filter(([status]) => status.startsWith('2')).reduce((n, [, k]) => n + k, 0), 0);
  const hostileUnexpected = Object.values(tally.hostile).reduce((sum, attack) => sum + Object.entries(attack.statuses).filter(([status]) => Number(status) !== attack.expected).reduce((n, [, k]) => n + k, 0), 0);
  const seconds = (performance.now() - started) / 1000;
  log(
    `mixed: ${result.requests.total} requests in ${Math.round(seconds)} s (${served} scores, ${tally.events.sent} events, ${Object.values(tally.hostile).reduce((n, attack) => n + attack.sent, 0)} hostile); ` +
      `5xx ${serverErrors}, hostile accepted ${hostileAccepted}, hostile answered otherwise than documented ${hostileUnexpected}, connection errors ${result.errors}, timeouts ${result.timeouts}; ` +
      `events acknowledged ${[...acknowledged.values()].reduce((n, k) => n + k, 0)}, lost ${lost}, stored unacknowledged ${extra}; ` +
      `slopes per 1,000 scores: heap ${slopes.heapUsed.toFixed(1)} B, RSS ${slopes.rss.toFixed(1)} B, wasm ${slopes.wasmBytes.toFixed(1)} B`,
  );
  return {
    requests: result.requests.total,
    scores: served,
    warmupScores,
    traffic: {
      scores: tally.scores,
      events: { ...tally.events, acknowledged: [...acknowledged.values()].reduce((n, k) => n + k, 0), lost, storedUnacknowledged: extra },
      hostile: Object.entries(tally.hostile).map(([name, attack]) => ({ name, ...attack })),
      serverErrors,
      hostileAccepted,
      hostileUnexpected,
      connectionErrors: result.errors,
      timeouts: result.timeouts,
    },
    samples: relative,
    slopes,
    seconds,
  };
}

/** The shipped model under another version, its output bias moved by `shift` (so every version scores differently). */
async function variant(file: ModelFileV1, version: string, shift: number): Promise<ModelFileV1> {
  const parameters = decodeWeights(file);
  parameters[parameters.length - 1] = parameters[parameters.length - 1]! + shift;
  return serializeModel({ version, architecture: file.architecture, featureSpec: file.featureSpec, parameters, metadata: file.metadata });
}

async function swapUnderLoad(storefront: Storefront, base: ModelFileV1, swapCount: number, log: (line: string) => void): Promise<Omit<SwapsInput, keyof Measured>> {
  const engine = await loadEngine({ fallback: 'error' });
  if (engine.kind !== storefront.engine) throw new Error(`this process runs ${engine.kind}, the storefront ${storefront.engine}: expected probabilities would not be comparable`);
  const files = [base];
  for (let i = 1; i <= swapCount; i++) files.push(await variant(base, `soak-swap-${i}`, (i % 7) / 10 - 0.3));
  // What each version gives each record, computed here on the same kind of kernel.
  const expected = new Map<string, number[]>();
  for (const file of files) {
    const model = loadModel(engine, file);
    expected.set(file.version, SWAP_RECORDS.map((record) => model.predict(record)));
    model.dispose();
  }
  const tally = { responses: 0, mismatches: 0, non2xx: 0 };
  const versionsSeen = new Set<string>();
  const checked = (recordIndex: number) => (status: number, body: string) => {
    if (status !== 200) {
      tally.non2xx++;
      return;
    }
    tally.responses++;
    const answer = JSON.parse(body) as { modelVersion: string; probability: number };
    versionsSeen.add(answer.modelVersion);
    if (!Object.is(expected.get(answer.modelVersion)?.[recordIndex], answer.probability)) tally.mismatches++;
  };
  const started = performance.now();
  const load = autocannon({
    url: `http://127.0.0.1:${storefront.port}`,
    connections: 10,
    duration: 3_600,
    requests: SWAP_RECORDS.map((record, index) => ({ method: 'POST' as const, path: '/churn/score', headers: json, body: JSON.stringify({ record }), onResponse: checked(index) })),
  });
  try {
    for (const file of files.slice(1)) {
      const response = await send(storefront.port, 'PUT', '/churn/model', file, { authorization: `Bearer ${ADMIN_TOKEN}` });
      if (response.status !== 200) throw new Error(`PUT /churn/model answered ${response.status}: ${response.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    load.stop();
  }
  const result = await load;
  const seconds = (performance.now() - started) / 1000;
  const networksAfter = (await memorySample(storefront)).networks;
  log(`swaps: ${swapCount} under load, ${tally.responses} answers checked, ${tally.mismatches} mismatches, ${tally.non2xx + result.errors} errors, ${versionsSeen.size} versions seen, ${networksAfter} networks alive after GC`);
  return { swaps: swapCount, responses: tally.responses, mismatches: tally.mismatches, non2xx: tally.non2xx + result.errors + result.timeouts, versionsSeen: versionsSeen.size, networksAfter, seconds };
}

const PHASES = ['load', 'mixed', 'swaps'] as const;
type Phase = (typeof PHASES)[number];

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      phases: { type: 'string', default: PHASES.join(',') },
      scores: { type: 'string' },
      swaps: { type: 'string' },
      customers: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const phases = values.phases!.split(',') as Phase[];
  const unknown = phases.filter((phase) => !PHASES.includes(phase));
  if (unknown.length > 0) throw new Error(`--phases: unknown ${unknown.join(', ')}; expected some of ${PHASES.join(', ')}`);
  // --smoke: the reduced run of npm test (test/bench/soak.test.ts): one step (one connection) per route, no climb, nothing rendered.
  const smoke = values.smoke!;
  const quick = values.quick! || smoke;
  const scores = Number(values.scores ?? (smoke ? 5_000 : quick ? 100_000 : 1_000_000));
  const swapCount = Number(values.swaps ?? (smoke ? 10 : SWAPS));
  const customers = Number(values.customers ?? (smoke ? 500 : 5_000));
  const stepSeconds = smoke ? 2 : quick ? 3 : 6;
  const out = values.out ?? reliabilityInputs();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-soak-'));
  const modelPath = join(dataDir, 'model.json');
  copyFileSync(join(repoRoot(), 'models', 'storefront.json'), modelPath);
  const storefront = await startStorefront(dataDir, modelPath, customers);
  /** Runs one phase and writes what it measured, with the machine's state around it. */
  const measure = async <T extends object>(phase: Phase, work: () => Promise<T>) => {
    if (!phases.includes(phase)) return;
    const loadBefore = loadavg()[0]!;
    const loadSeen: number[] = [];
    const watching = setInterval(() => loadSeen.push(loadavg()[0]!), 5_000);
    const measured = await work().finally(() => clearInterval(watching));
    const input = {
      measuredAt: new Date().toISOString(),
      command: `npm run bench:soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machineState: `shared 2-core machine (other engineers' work running), 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0]!.toFixed(1)} after${loadSeen.length > 0 ? ` (${Math.min(...loadSeen).toFixed(1)}–${Math.max(...loadSeen).toFixed(1)} during)` : ''}; storefront and autocannon in two processes, not pinned; SQLite store with full durability (an fsync per events request).`,
      ...measured,
    };
    writeFileSync(join(out, `soak-${phase}.json`), `${JSON.stringify(input, null, 2)}\n`);
  };
  try {
    log(`storefront: ${storefront.customerIds.length} customers seeded, engine ${storefront.engine}`);
    // Untimed: every customer scored once, so the storefront's code is compiled and the first
    // decisions (a durable write each, for every customer the policy acts on) are behind us;
    // what is measured is a store in steady state, whose customers come back.
    let next = 0;
    await autocannon({
      url: `http://127.0.0.1:${storefront.port}`,
      connections: 10,
      amount: storefront.customerIds.length,
      requests: [{ method: 'POST', path: '/churn/score', headers: json, setupRequest: (request) => ({ ...request, body: JSON.stringify({ customerId: storefront.customerIds[next++ % storefront.customerIds.length] }) }) }],
    });
    const customer = () => ({ customerId: pick(storefront.customerIds) });
    const event = () => ({ events: [{ customerId: pick(storefront.customerIds), type: pick(['page_view', 'page_view', 'search', 'add_to_cart', 'order']), value: 25, channel: 'web' }] });
    await measure('load', async () => ({
      routes: [
        ...(await climb(
          storefront,
          [
            { name: 'peer: a bare Express JSON route (same process)', path: '/plain', body: customer },
            { name: 'POST /churn/score', path: '/churn/score', body: customer },
          ],
          stepSeconds,
          log,
          smoke ? 1 : Infinity,
        )),
        ...(await climb(storefront, [{ name: 'POST /churn/events (one event per request)', path: '/churn/events', body: event }], stepSeconds, log, smoke ? 1 : Infinity)),
      ],
    }));
    await measure('mixed', () => soakMixed(storefront, scores, log));
    await measure('swaps', async () => swapUnderLoad(storefront, await parseModelFile(readFileSync(modelPath, 'utf8')), swapCount, log));
    log(`wrote ${phases.map((phase) => join(out, `soak-${phase}.json`)).join(', ')}`);
    if (values.out === undefined) log(`wrote ${writeReliability()}`);
  } finally {
    storefront.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const [, , , dataDir, modelPath, customers] = process.argv;
  await serve(dataDir!, modelPath!, Number(customers));
} else {
  await run();
}
