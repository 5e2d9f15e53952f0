/**
 * The plugin's `retrain` option as a storefront runs it: the Express plugin on its own default
 * SQLite store (a demo store whose behaviour drifted after the shipped model was trained),
 * serving HTTP while a retrain runs in a child process. A better challenger is swapped in,
 * one no better is not, and the storefront's event loop never waits for the training.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn, type ChurnOptions, type ChurnPlugin, type RetrainRun } from '../../plugin/express/index.js';
import { resolveOptions } from '../../plugin/express/options.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { makeTempDir } from '../cli/run-cli.js';
import { ADMIN_TOKEN } from '../plugin/plugin-app.js';
import { requireFreshCli } from '../support/fresh-build.js';
import { seedDriftedDataDir, SHIPPED_MODEL } from './drifted-store.js';
import { smallShopEvents } from './small-shop.js';
import { listenStorefront, type ListeningStorefront } from './listening-storefront.js';

describe('the retrain option on a drifted demo store', () => {
  let dir: string;
  let plugin: ChurnPlugin;
  let storefront: ListeningStorefront | undefined;
  let base: string;
  const runs: RetrainRun[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    requireFreshCli();
    dir = makeTempDir();
    await seedDriftedDataDir(join(dir, 'data'));
    // The plugin opens its default store in dataDir, and retrains from it.
    plugin = churn({
      model: SHIPPED_MODEL,
      dataDir: join(dir, 'data'),
      identify: () => null,
      adminToken: ADMIN_TOKEN,
      retrain: { every: '7d', outDir: join(dir, 'runs'), onRun: (run) => runs.push(run) },
      onError: (error) => errors.push(error),
    });
    await plugin.ready();
    storefront = await listenStorefront(plugin);
    base = storefront.base;
  }, 300_000);

  afterAll(async () => {
    await storefront?.close();
    await plugin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('promotes a challenger that beats the serving model out of time, while the storefront keeps answering', async () => {
    const shipped = (await plugin.model()).version;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let answered = 0;
    let slowestMs = 0;
    let done = false;
    // A client asking the storefront for its model every 50 ms for as long as the retrain runs.
    const client = (async () => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${base}/model`);
        await response.json();
        if (response.ok) answered++;
        slowestMs = Math.max(slowestMs, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const run = plugin.retrain();
    // Never two runs at once: a second call while one runs joins it.
    expect(plugin.retrain()).toBe(run);
    const result = await run.finally(() => (done = true));
    await client;
    loop.disable();
    const maxDelayMs = loop.max / 1e6;
    process.stdout.write(
      `scheduled retrain: ${result.message}; event-loop delay max ${maxDelayMs.toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms; ` +
        `${answered} requests answered during the run, slowest ${slowestMs.toFixed(1)} ms (shared 2-core machine)\n`,
    );

    expect(result.decision).toBe('promote');
    expect(result.promoted).toBe(true);
    expect(result.champion.version).toBe(shipped);
    expect(result.challenger.auc).toBeGreaterThan(result.champion.auc + result.minGain);
    expect(result.minGain).toBe(0.005);
    expect(result.message).toMatch(/^retrain: promoted: mlp-\S+ \(ROC AUC 0\.\d{4}\) against mlp-\S+ \(0\.\d{4}\) on \d+ customers, gain \+0\.\d{4} ≥ 0\.005, in \d+\.\d s$/);
    expect(runs).toEqual([result]);
    expect(errors).toEqual([]);
    // Swapped in as PUT /model does: the storefront serves the challenger now.
    expect((await plugin.model()).version).toBe(result.challenger.version);
    expect(((await (await fetch(`${base}/model`)).json()) as { version: string }).version).toBe(result.challenger.version);
    // The run's folder is kept under outDir: the challenger, both reports and the summary.
    expect(result.folder).toMatch(/runs[\\/]\d{4}-\d\d-\d\dT/);
    const metrics = await request(`${base}`).get('/metrics');
    expect(metrics.text).toContain('churnkit_retrain_runs_total{outcome="promoted"} 1');
    expect(metrics.text).toContain(`churnkit_retrain_roc_auc{model="challenger"} ${result.challenger.auc}`);

    // Not blocked: a retrain in this process would hold the loop for the whole training (tens of
    // seconds). The bound is generous for a shared machine; it is a blocking check, not a speed one.
    expect(maxDelayMs).toBeLessThan(1500);
    expect(answered).toBeGreaterThan(10);
  }, 300_000);

  it('keeps the serving model when the challenger is no better by the margin', async () => {
    const serving = (await plugin.model()).version;
    // The same data and trainer settings as the model now serving: a challenger no better than it.
    const result = await plugin.retrain();
    expect(result.decision).toBe('keep');
    expect(result.promoted).toBe(false);
    expect(result.champion.version).toBe(serving);
    expect(result.gain).toBeLessThan(result.minGain);
    expect(result.message).toMatch(/^retrain: kept the serving model: .*, gain [+-]0\.\d{4} < 0\.005, in /);
    expect((await plugin.model()).version).toBe(serving);
    const metrics = await request(`${base}`).get('/metrics');
    expect(metrics.text).toContain('churnkit_retrain_runs_total{outcome="kept"} 1');
    expect(errors).toEqual([]);
  }, 300_000);
});

describe('the retrain option refuses what it cannot do', () => {
  it('refuses, at construction, a store that keeps no event log', () => {
    expect(() => churn({ model: SHIPPED_MODEL, store: memoryStore(), identify: () => null, retrain: { every: '7d', store: 'sqlite:./data' } })).toThrow(
      /churn\(\) option "retrain": this store keeps no event log, only each customer's folded state .* Use the SQLite or Redis store/,
    );
  });

  it('asks for the location of a store given as an object', () => {
    const dir = makeTempDir();
    const store = openSqliteStore({ dataDir: dir });
    try {
      expect(() => churn({ model: SHIPPED_MODEL, store, identify: () => null, retrain: { every: '7d' } })).toThrow(/option "retrain.store": the retrain process opens the store by its location/);
    } finally {
      void store.close().then(() => rmSync(dir, { recursive: true, force: true }));
    }
  });

  it.each([
    [{ every: '5m' }, /option "retrain.every": expected a duration such as 90d, 2w or 12h \(at least 1h\)/],
    [{ every: 'weekly' }, /option "retrain.every": expected a duration/],
    [{ every: '7d', minGain: -0.1 }, /option "retrain.minGain"/],
    [{ every: '7d', training: { model: 'forest' } }, /option "retrain.training.model"/],
    [{ every: '7d', step: '0' }, /option "retrain.step"/],
    // The churn definition is the plugin's, shared with GET /challenger: said once, in churnDefinition.
    [{ every: '7d', horizon: '60d' }, /has no option "retrain\.horizon"/],
    [{ every: '7d', cadence: 'weekly' }, /has no option "retrain\.cadence"/],
  ])('refuses %j with an error naming the option', (retrain, message) => {
    expect(() => churn({ model: SHIPPED_MODEL, identify: () => null, retrain: retrain as never })).toThrow(message);
  });

  it('labels with the plugin\'s churnDefinition, the one GET /challenger uses', () => {
    const flags = (options: Partial<ChurnOptions>) => resolveOptions({ model: SHIPPED_MODEL, identify: () => null, retrain: { every: '7d' }, ...options }).retrain!.flags;
    expect(flags({})).toEqual(['--horizon', '90d', '--gap', '0d', '--active', 'order']);
    expect(flags({ churnDefinition: { horizon: '60d', gap: '7d', active: ['order', 'subscription_renewal'] } })).toEqual([
      '--horizon', '60d', '--gap', '7d', '--active', 'order,subscription_renewal',
    ]);
  });

  it('has no retrain() without the option', async () => {
    const dir = makeTempDir();
    const plugin = churn({ model: SHIPPED_MODEL, dataDir: dir, identify: () => null });
    try {
      await expect(plugin.retrain()).rejects.toThrow(/created without the "retrain" option/);
    } finally {
      await plugin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a run that fails to onError and the metrics, and keeps serving', async () => {
    const dir = makeTempDir();
    const errors: { error: unknown; code: string }[] = [];
    // The plugin's own store is empty: nothing to retrain from.
    const plugin = churn({ model: SHIPPED_MODEL, dataDir: dir, identify: () => null, retrain: { every: '1d' }, onError: (error, details) => errors.push({ error, code: details.code }) });
    try {
      await plugin.ready();
      await expect(plugin.retrain()).rejects.toThrow(/churnkit retrain exited with code 1: churnkit: the store holds no events to retrain from/);
      expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_FAILED']);
      const metrics = await request(express().use('/churn', plugin.router())).get('/churn/metrics');
      expect(metrics.text).toContain('churnkit_retrain_runs_total{outcome="failed"} 1');
      expect((await plugin.model()).version).toMatch(/^mlp-/);
    } finally {
      await plugin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reports a store with too few customers as a failed run, and promotes nothing', async () => {
    const dir = makeTempDir();
    const store = openSqliteStore({ dataDir: dir });
    await store.appendEvents(smallShopEvents());
    await store.close();
    const errors: string[] = [];
    const plugin = churn({ model: SHIPPED_MODEL, dataDir: dir, identify: () => null, retrain: { every: '1d', training: { model: 'logreg' } }, onError: (_error, details) => errors.push(details.code) });
    try {
      await plugin.ready();
      const serving = (await plugin.model()).version;
      await expect(plugin.retrain()).rejects.toThrow(/churnkit retrain exited with code 1: churnkit: the challenger would be trained on .*: 24 customer rows, .* so nothing was trained or promoted/);
      expect(errors).toEqual(['RETRAIN_FAILED']);
      expect((await plugin.model()).version).toBe(serving);
    } finally {
      await plugin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('ends the run under way when the plugin closes, without reporting it as a failure', async () => {
    const dir = makeTempDir();
    const errors: unknown[] = [];
    const plugin = churn({ model: SHIPPED_MODEL, dataDir: dir, identify: () => null, retrain: { every: '1d' }, onError: (error) => errors.push(error) });
    await plugin.ready();
    const run = plugin.retrain();
    const settled = run.then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await plugin.close();
    expect(await settled).toMatch(/ended by SIGTERM|the plugin was closed/);
    expect(errors).toEqual([]);
    await expect(plugin.retrain()).rejects.toThrow(/the plugin was closed: no more retraining/);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
