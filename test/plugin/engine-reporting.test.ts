import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { churn, type ChurnOptions, type ChurnPlugin } from '../../plugin/express/index.js';
import { EngineError } from '../../src/errors.js';
import { TEST_MODEL_FIT, testModelFile } from './test-model.js';

/** Bytes that start like a wasm module and then stop making sense: no runtime can compile them. */
const BROKEN_KERNEL = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff]);

let plugin: ChurnPlugin | undefined;
let dataDir: string | undefined;

async function servedBy(options: Partial<ChurnOptions>) {
  dataDir = mkdtempSync(join(tmpdir(), 'churnkit-engine-'));
  plugin = churn({ model: await testModelFile(), identify: () => null, dataDir, modelFit: TEST_MODEL_FIT, ...options });
  const app = express();
  app.use('/churn', plugin.router());
  return app;
}

afterEach(async () => {
  await plugin?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  plugin = undefined;
  dataDir = undefined;
});

describe('the engine behind the Express plugin', () => {
  it('runs a model file on the SIMD kernel by default and says so in healthz and the metrics', async () => {
    const app = await servedBy({});
    await plugin!.ready();
    expect((await request(app).get('/churn/healthz').expect(200)).body).toMatchObject({ status: 'ok', modelVersion: 'test-v1', engine: 'wasm-simd' });
    const metrics = await request(app).get('/churn/metrics').expect(200);
    expect(metrics.text).toContain('churnkit_engine_info{kind="wasm-simd"} 1');
    expect(metrics.text).not.toContain('churnkit_engine_info{kind="js"}');
  });

  it('fails ready() with an EngineError naming why when the kernel cannot load, instead of falling back', async () => {
    const app = await servedBy({ engine: { bytes: BROKEN_KERNEL } });
    const failure = await plugin!.ready().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('ENGINE_UNAVAILABLE');
    expect((failure as EngineError).message).toMatch(/SIMD kernel failed to compile.*fallback: 'js'/s);
    const health = await request(app).get('/churn/healthz').expect(503);
    expect(health.body.error.code).toBe('MODEL_UNAVAILABLE');
    expect(health.body.error.message).toMatch(/failed to compile/);
    const metrics = await request(app).get('/churn/metrics').expect(200);
    expect(metrics.text).not.toMatch(/churnkit_engine_info\{/);
  });

  it('serves on the pure-TypeScript engine only when asked to, and reports it', async () => {
    const app = await servedBy({ engine: { bytes: BROKEN_KERNEL, fallback: 'js' } });
    await plugin!.ready();
    expect((await request(app).get('/churn/healthz').expect(200)).body).toMatchObject({ status: 'ok', modelVersion: 'test-v1', engine: 'js' });
    expect((await request(app).get('/churn/metrics')).text).toContain('churnkit_engine_info{kind="js"} 1');
  });

  it('refuses an engine option it cannot use at construction', () => {
    expect(() => churn({ model: {}, identify: () => null, engine: { fallback: 'quietly' } as never })).toThrow(/option "engine"/);
  });
});

describe('a model that fails to load (issue 12)', () => {
  it('leaves no SQLite store behind: no churnkit.sqlite, -wal or -shm is created', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'churnkit-engine-'));
    const reported: unknown[] = [];
    plugin = churn({ model: join(dataDir, 'missing.json'), identify: () => null, dataDir, onError: (error) => reported.push(error) });
    await expect(plugin.ready()).rejects.toThrow(/missing\.json/);
    // Events that arrive anyway are refused, and still open nothing; the caller is not told the server's paths.
    const app = express().use('/churn', plugin.router());
    const answer = await request(app).post('/churn/events').send({ events: [{ customerId: 'c1', type: 'order' }] }).expect(503);
    expect(answer.body.error).toEqual({ code: 'STORE_ERROR', message: 'events were not stored: the store was not opened, because the model did not load (ready() says why)' });
    expect(reported).toHaveLength(1);
    expect(String((reported[0] as Error).cause)).toMatch(/missing\.json/);
    await plugin.close();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('opens the default store once the model has loaded', async () => {
    await servedBy({});
    await plugin!.ready();
    expect(readdirSync(dataDir!)).toContain('churnkit.sqlite');
  });
});
