/**
 * churnkit packed and installed into a fresh project from the registry, used as a user uses
 * it: the core and Node entries from plain Node, the CLI through `npx churnkit`, and the
 * Express plugin and the Hono middleware (on @hono/node-server) serving a score. The project
 * installs the plugins' optional peers it uses (express, prom-client, redis, hono) and the
 * Hono app's Node server beside churnkit, as the docs say; the plugins run on the Redis
 * store here: the default SQLite store needs better-sqlite3's native build (about 70 s on this
 * machine), which a user pays once when they choose it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../plugin/store/redis-store.js';
import { startRedisServer, type RunningRedis } from '../plugin/store/redis-server.js';
import { seedDriftedStore } from '../retrain/drifted-store.js';
import { SHIPPED_MODEL } from '../runtimes/same-scores.js';
import { PACKAGE_ENTRIES } from '../../scripts/package-entries.js';
import { cleanEnvironment, installedPackage, type InstalledPackage, INSTALL_TIMEOUT_MS } from './installed-package.js';

let installed: InstalledPackage;
let folder: string;

beforeAll(async () => {
  installed = await installedPackage();
  folder = join(installed.project, 'package-use');
  mkdirSync(folder, { recursive: true });
  copyFileSync(SHIPPED_MODEL, join(folder, 'model.json'));
}, INSTALL_TIMEOUT_MS);

function run(command: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: folder, env: cleanEnvironment(env), encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runScript(name: string, code: string, env: Record<string, string> = {}): unknown {
  writeFileSync(join(folder, name), code);
  const result = run(process.execPath, [name], env);
  if (result.status !== 0) throw new Error(`node ${name} exited with ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

describe('the packed tarball', () => {
  it('holds every entry point and the kernel, and none of the build-only files', () => {
    const files = installed.packedFiles;
    for (const entry of ['dist/bundle/index.js', 'dist/bundle/internal.js', 'dist/bundle/node.js', 'dist/bundle/models.js', 'dist/bundle/express.js', 'dist/bundle/fetch.js', 'dist/bundle/hono.js', 'dist/cli/churnkit.js', 'dist/cli/THIRD-PARTY-LICENSES.txt', 'build/churnkit.simd.wasm', 'build/churnkit.scalar.wasm', 'wasm/simd.js', 'dist/wasm/simd.node.js', 'dist/wasm/scalar.node.js', 'dist/wasm/simd.inline.js', 'dist/wasm/scalar.inline.js', 'wasm/kernel.d.ts', 'docs/runtimes.md']) {
      expect(files, entry).toContain(entry);
    }
    expect(files.filter((file) => /^dist\/(bench|scripts|src\/cli|plugin\/demo)\//.test(file) || file.endsWith('.sh'))).toEqual([]);
  });

  it('runs nothing when installed: npm 11 warns of any install-time script, prepare included, and asks to approve it', () => {
    const manifest = JSON.parse(readFileSync(join(installed.project, 'node_modules', 'churnkit', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(Object.keys(manifest.scripts ?? {}).filter((script) => /^(pre|post)?(install|prepare)$/.test(script))).toEqual([]);
  });

  it('exports each entry as its bundle, to bundlers for workers and pages as the modules it was bundled from, typed by their .d.ts', () => {
    const manifest = JSON.parse(readFileSync(join(installed.project, 'node_modules', 'churnkit', 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    for (const [subpath, entry] of Object.entries(PACKAGE_ENTRIES)) {
      const modules = `./dist/${entry.compiled}.js`;
      expect(manifest.exports[subpath], subpath).toEqual({ types: `./dist/${entry.compiled}.d.ts`, workerd: modules, worker: modules, browser: modules, default: `./dist/bundle/${entry.bundle}.js` });
      for (const file of [`dist/${entry.compiled}.d.ts`, `dist/${entry.compiled}.js`, `dist/bundle/${entry.bundle}.js`]) expect(installed.packedFiles, file).toContain(file);
    }
  });

  it('loads the core in three files (the public names, dist/bundle/internal.js, the chunk it shares with churnkit/engine), churnkit/engine in two, and the shipped model beside the core', async () => {
    const bundles = join(installed.project, 'node_modules', 'churnkit', 'dist', 'bundle');
    const filesLoaded = async (entry: string) => {
      const { metafile } = await build({ entryPoints: [join(bundles, entry)], bundle: true, write: false, format: 'esm', platform: 'neutral', metafile: true, logLevel: 'silent' });
      return Object.entries(metafile.inputs).map(([input, { bytes }]) => ({ file: input.replace(/^.*dist\/bundle\//, '').replace(/^core-\w+\.js$/, 'core-<hash>.js'), bytes }));
    };
    const names = (files: { file: string }[]) => files.map(({ file }) => file).sort();
    expect(names(await filesLoaded('index.js'))).toEqual(['core-<hash>.js', 'index.js', 'internal.js']);
    expect(names(await filesLoaded('models.js'))).toEqual(['core-<hash>.js', 'internal.js', 'models.js']);
    const engine = await filesLoaded('engine.js');
    expect(names(engine)).toEqual(['core-<hash>.js', 'engine.js']);
    // The point of the slice: a fraction of the core's code.
    const core = await filesLoaded('index.js');
    const total = (files: { bytes: number }[]) => files.reduce((sum, { bytes }) => sum + bytes, 0);
    expect(total(engine)).toBeLessThan(total(core) / 4);
  });

  it('installs with nothing but the registry, without the CLI\'s bundled packages (arquero\'s broken dependency included)', () => {
    const modules = join(installed.project, 'node_modules');
    expect(existsSync(join(modules, 'churnkit', 'package.json'))).toBe(true);
    for (const absent of ['arquero', '@uwdata/flechette', 'commander', 'csv-parse', 'cli-progress', 'better-sqlite3']) expect(existsSync(join(modules, absent)), absent).toBe(false);
  });
});

describe('the installed package in plain Node', () => {
  it('throws from churnkit/node the very error classes churnkit exports (one core, shared by every entry)', () => {
    const answer = runScript('shared-classes.mjs', `
      import { writeFileSync } from 'node:fs';
      import { ChurnkitError, ModelFormatError } from 'churnkit';
      import { readModelFile } from 'churnkit/node';
      writeFileSync('truncated.json', '{"format":"churnkit-model","formatVersion":1,"ver');
      const error = await readModelFile('truncated.json').catch((caught) => caught);
      console.log(JSON.stringify({ name: error.name, code: error.code, modelFormatError: error instanceof ModelFormatError, churnkitError: error instanceof ChurnkitError }));
    `);
    expect(answer).toEqual({ name: 'ModelFormatError', code: 'MODEL_TRUNCATED', modelFormatError: true, churnkitError: true });
  });

  it("shows an uncaught error's message, not a screen of minified code (Node prints the line an error was thrown from)", () => {
    writeFileSync(join(folder, 'misspelt-option.mjs'), `
      import { churn } from 'churnkit/express';
      churn({ model: 'model.json', identify: () => null, cacheTTLMs: 0 });
    `);
    const result = run(process.execPath, ['misspelt-option.mjs']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^OptionsError: churn\(\) has no option "cacheTTLMs" \(did you mean "cacheTtlMs"\?\)$/m);
    const longest = Math.max(...result.stderr.split('\n').map((line) => line.length));
    expect(longest, result.stderr.slice(0, 2000)).toBeLessThan(400);
  });

  it('scores on the kernel from churnkit/engine alone, and throws the very error classes churnkit exports', () => {
    const answer = runScript('engine-only.mjs', `
      import { loadEngine, EngineError } from 'churnkit/engine';
      import kernel from 'churnkit/wasm/simd';
      const engine = await loadEngine({ kernel });
      const network = engine.createNetwork({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }] });
      network.setParameters(new Float32Array([1, -1, 0.5]));
      const probability = network.predictRow(new Float32Array([2, 1]));
      const error = await loadEngine({}).catch((caught) => caught);
      const core = await import('churnkit');
      console.log(JSON.stringify({ kind: engine.kind, probability, code: error.code, sameClass: EngineError === core.EngineError, instance: error instanceof core.EngineError }));
    `);
    expect(answer).toEqual({ kind: 'wasm-simd', probability: expect.closeTo(1 / (1 + Math.exp(-1.5)), 6), code: 'ENGINE_UNAVAILABLE', sameClass: true, instance: true });
  });

  it('imports churnkit, churnkit/node, churnkit/models and churnkit/wasm/simd, scores on the kernel and explains with explainable', () => {
    const answer = runScript('entries.mjs', `
      import * as core from 'churnkit';
      import { loadEngine, readModelFile } from 'churnkit/node';
      import { loadStorefrontModel, storefrontModelText } from 'churnkit/models';
      import kernel from 'churnkit/wasm/simd';
      const fromCore = await loadStorefrontModel(await core.loadEngine({ kernel }));
      const engine = await loadEngine();
      const fromFile = core.loadModel(engine, await readModelFile('model.json'));
      const record = { recency_days: 90, tenure_days: 30, has_ordered: 0 };
      const scoresOnly = typeof fromFile.explain;
      const reasons = core.explainable(fromFile).explain(record, { top: 2 }).map((reason) => reason.feature);
      console.log(JSON.stringify({ kernel: kernel.constructor.name, engine: engine.kind, a: fromCore.predict(record), b: fromFile.predict(record), text: storefrontModelText.length, scoresOnly, reasons }));
    `);
    expect(answer).toMatchObject({ kernel: 'Uint8Array', engine: 'wasm-simd', text: expect.any(Number), scoresOnly: 'undefined', reasons: [expect.any(String), expect.any(String)] });
    const { a, b } = answer as { a: number; b: number };
    expect(a).toBeGreaterThan(0);
    expect(a).toBe(b);
  });
});

describe('the CLI through npx', () => {
  it('npx churnkit doctor reports the kernel inside the installed package', () => {
    const result = run('npx', ['--no-install', 'churnkit', 'doctor', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { engine: string; kernelFile: string };
    expect(report.engine).toBe('wasm-simd');
    expect(report.kernelFile).toBe(join(installed.project, 'node_modules', 'churnkit', 'build', 'churnkit.simd.wasm'));
  });

  it('npx churnkit predict scores a CSV with the shipped model', () => {
    const columns = (JSON.parse(readFileSync(SHIPPED_MODEL, 'utf8')) as { featureSpec: { columns: { name: string; clipLow: number; clipHigh: number }[] } }).featureSpec.columns;
    const row = (share: number) => columns.map((column) => column.clipLow + share * (column.clipHigh - column.clipLow)).join(',');
    writeFileSync(join(folder, 'customers.csv'), `${columns.map((column) => column.name).join(',')}\n${row(0.2)}\n${row(0.8)}\n`);
    const result = run('npx', ['--no-install', 'churnkit', 'predict', '--model', 'model.json', '--data', 'customers.csv', '--out', 'scores.csv']);
    expect(result.status, result.stderr).toBe(0);
    const lines = readFileSync(join(folder, 'scores.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/probability/);
  });

  it('npx churnkit simulate finds the storefront model shipped in the package from the project folder', () => {
    // This project has no better-sqlite3 (its native build is the user's choice): the command
    // stops there, after the model has loaded; a model not found would stop it before.
    const result = run('npx', ['--no-install', 'churnkit', 'simulate', '--store', 'simulated.sqlite', '--customers', '100', '--days', '2']);
    expect(result.stderr).toBe('churnkit: the SQLite store (churnkit/stores/sqlite) needs the "better-sqlite3" package, which is not installed: run "npm install better-sqlite3"\n');
    expect(result.status).toBe(1);
  });
});

describe('the Express plugin from the installed package', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('serves POST /churn/score with the shipped model, on the Redis store', () => {
    const answer = runScript('express-app.mjs', `
      import express from 'express';
      import { churn } from 'churnkit/express';
      import { openRedisStore } from 'churnkit/stores/redis';
      import { storefrontModelText } from 'churnkit/models';
      const store = await openRedisStore({ url: process.env.REDIS_URL });
      const plugin = churn({ model: JSON.parse(storefrontModelText), identify: () => null, store });
      await plugin.ready();
      const app = express();
      app.use('/churn', plugin.router());
      const server = app.listen(0, '127.0.0.1', async () => {
        const response = await fetch('http://127.0.0.1:' + server.address().port + '/churn/score', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ record: { recency_days: 170, tenure_days: 20, has_ordered: 0 } }),
        });
        const text = await response.text();
        console.log(JSON.stringify({ status: response.status, body: JSON.parse(text), etag: response.headers.get('etag'), length: Number(response.headers.get('content-length')), bytes: Buffer.byteLength(text) }));
        server.close();
        await plugin.close();
        await store.close();
      });
    `, { REDIS_URL: redis.url });
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok', probability: expect.any(Number) }, etag: null });
    // Written directly with its length (no ETag on a POST answer: plugin/express/router.ts).
    expect((answer as { length: number }).length).toBe((answer as { bytes: number }).bytes);
  });

  it('serves a Hono product page on @hono/node-server behind churnkit/hono, and takes events through churnkit.fetch, on the Redis store', () => {
    const answer = runScript('hono-app.mjs', `
      import { serve } from '@hono/node-server';
      import { Hono } from 'hono';
      import { churn } from 'churnkit/hono';
      import { openRedisStore } from 'churnkit/stores/redis';
      import { storefrontModelText } from 'churnkit/models';
      import kernel from 'churnkit/wasm/simd';
      const store = await openRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'hono:' });
      // A store budget a loaded CI machine's first read cannot miss (the default 5 ms fails open, by design).
      const churnkit = churn({ model: JSON.parse(storefrontModelText), engine: { kernel }, store, identify: (c) => c.req.header('x-customer-id'), storeTimeoutMs: 2000 });
      await churnkit.ready();
      const app = new Hono();
      app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
      app.get('/products/:id', churnkit, (c) => c.json({ product: c.req.param('id'), churn: c.var.churn }));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, async (info) => {
        const base = 'http://127.0.0.1:' + info.port;
        const posted = await fetch(base + '/churn/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ customerId: 'h-1', type: 'order', ts: Date.now() - 86400000, value: 42 }] }),
        });
        const page = await (await fetch(base + '/products/p-100', { headers: { 'x-customer-id': 'h-1' } })).json();
        const state = await store.getCustomerState('h-1');
        console.log(JSON.stringify({ posted: posted.status, page, stored: state !== null }));
        server.close();
        await store.close();
      });
    `, { REDIS_URL: redis.url });
    expect(answer).toMatchObject({
      posted: 201,
      page: { product: 'p-100', churn: { status: 'ok', customerId: 'h-1', probability: expect.any(Number) } },
      stored: true,
    });
  });

  it("gives req.churn, lazily, to routes in sub-apps and after a sub-app the plugin ran in, and nothing where it did not run", () => {
    const answer = runScript('lazy-app.mjs', `
      import express from 'express';
      import { churn } from 'churnkit/express';
      import { openRedisStore } from 'churnkit/stores/redis';
      import { storefrontModelText } from 'churnkit/models';
      const store = await openRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'lazy:' });
      const plugin = churn({ model: JSON.parse(storefrontModelText), identify: (req) => req.get('x-customer-id'), store });
      await plugin.ready();
      const seen = async (req, res) => res.json({ customerId: req.churn === undefined ? null : (await req.churn).customerId });
      const app = express();
      app.get('/before', seen);
      const account = express();
      account.use(plugin);
      account.get('/page', (req, res, next) => next('route'));
      app.use('/account', account);
      app.get('/account/page', seen);
      const shop = express();
      shop.get('/item', seen);
      app.use(plugin);
      app.use('/shop', shop);
      const server = app.listen(0, '127.0.0.1', async () => {
        const get = async (path, id) => (await (await fetch('http://127.0.0.1:' + server.address().port + path, { headers: { 'x-customer-id': id } })).json()).customerId;
        console.log(JSON.stringify({ before: await get('/before', 'c-0'), afterSubApp: await get('/account/page', 'c-1'), inSubApp: await get('/shop/item', 'c-2') }));
        server.close();
        await plugin.close();
        await store.close();
      });
    `, { REDIS_URL: redis.url });
    expect(answer).toEqual({ before: null, afterSubApp: 'c-1', inSubApp: 'c-2' });
  });

  it('stores posted events through the router and reads their categories back, ASCII or not, on the Redis store; refuses a bad batch without switching zod to its interpreter', () => {
    const answer = runScript('events-app.mjs', `
      import express from 'express';
      import { z } from 'zod';
      import { churn } from 'churnkit/express';
      import { openRedisStore } from 'churnkit/stores/redis';
      import { storefrontModelText } from 'churnkit/models';
      const store = await openRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'events:' });
      const plugin = churn({ model: JSON.parse(storefrontModelText), identify: () => null, store });
      await plugin.ready();
      const app = express();
      app.use('/churn', plugin.router());
      const categories = ['shoes', 'Schuhe für Kinder', '靴'];
      const server = app.listen(0, '127.0.0.1', async () => {
        const post = (events) => fetch('http://127.0.0.1:' + server.address().port + '/churn/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        const response = await post(categories.map((category, i) => ({ customerId: 'c-1', id: 'e-' + i, type: 'order', value: 10, category })));
        const refused = await post([{ customerId: 'c-1', type: 'order' }, { customerId: 'c-1', type: 'Order!' }]);
        const state = await store.getCustomerState('c-1');
        console.log(JSON.stringify({
          status: response.status, categories: state?.categories, orders: state?.ordersTotal,
          refused: { status: refused.status, field: (await refused.json()).error.field },
          // The storefront's own zod (the same copy): left compiling its validators, in Node.
          jitless: z.config().jitless === true,
        }));
        server.close();
        await plugin.close();
        await store.close();
      });
    `, { REDIS_URL: redis.url });
    // The state went through the packed encoder into Redis and back through its decoder; the
    // bad batch was refused by zod's compiled validators (#zod-jitless under Node's conditions).
    expect(answer).toEqual({ status: 201, categories: ['shoes', 'Schuhe für Kinder', '靴'], orders: 3, refused: { status: 400, field: 'events.1.type' }, jitless: false });
  });

  // The retrain option runs the package's own CLI bundle in a child process: found from the
  // installed package, with the CLI's bundled packages, on the store the storefront names.
  it('retrains from its Redis store in a child process and promotes the challenger (the retrain option)', async () => {
    const store = await openRedisStore({ url: redis.url, keyPrefix: 'drifted:' });
    try {
      await seedDriftedStore(store, { customers: 2500, days: 420, seed: 5 });
    } finally {
      await store.close();
    }
    const run = runScript('retrain-app.mjs', `
      import { churn } from 'churnkit/express';
      import { openRedisStore } from 'churnkit/stores/redis';
      const store = await openRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'drifted:' });
      const plugin = churn({ model: './model.json', store, identify: () => null, retrain: { every: '7d', store: process.env.REDIS_URL, keyPrefix: 'drifted:' } });
      await plugin.ready();
      const shipped = (await plugin.model()).version;
      const run = await plugin.retrain();
      console.log(JSON.stringify({ shipped, serving: (await plugin.model()).version, decision: run.decision, promoted: run.promoted, champion: run.champion, challenger: run.challenger, minGain: run.minGain }));
      await plugin.close();
      await store.close();
    `, { REDIS_URL: redis.url }) as { shipped: string; serving: string; champion: { version: string; auc: number }; challenger: { version: string; auc: number }; minGain: number };
    expect(run).toMatchObject({ decision: 'promote', promoted: true });
    expect(run.champion.version).toBe(run.shipped);
    expect(run.challenger.auc).toBeGreaterThan(run.champion.auc + run.minGain);
    expect(run.serving).toBe(run.challenger.version);
  }, 300_000);
});
