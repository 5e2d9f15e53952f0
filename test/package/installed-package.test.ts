/**
 * churnkit packed and installed into a fresh project from the registry, used as a user uses
 * it: the core and Node entries from plain Node, the CLI through `npx churnkit`, and the
 * Express plugin serving a score. The project installs the plugin's optional peers it uses
 * (express, prom-client, redis) beside churnkit, as its docs say; the plugin runs on the Redis
 * store here: the default SQLite store needs better-sqlite3's native build (about 70 s on this
 * machine), which a user pays once when they choose it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedis } from '../plugin/store/redis-server.js';
import { SHIPPED_MODEL } from '../runtimes/same-scores.js';
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
    for (const entry of ['dist/src/index.js', 'dist/src/node/index.js', 'dist/models/index.js', 'dist/plugin/express/index.js', 'dist/plugin/fetch/index.js', 'dist/plugin/hono/index.js', 'dist/cli/churnkit.js', 'dist/cli/THIRD-PARTY-LICENSES.txt', 'build/churnkit.simd.wasm', 'build/churnkit.scalar.wasm', 'wasm/simd.js', 'wasm/simd.node.js', 'wasm/kernel.d.ts', 'docs/runtimes.md']) {
      expect(files, entry).toContain(entry);
    }
    expect(files.filter((file) => /^dist\/(bench|scripts|src\/cli|plugin\/demo)\//.test(file))).toEqual([]);
  });

  it('installs with nothing but the registry, without the CLI\'s bundled packages (arquero\'s broken dependency included)', () => {
    const modules = join(installed.project, 'node_modules');
    expect(existsSync(join(modules, 'churnkit', 'package.json'))).toBe(true);
    for (const absent of ['arquero', '@uwdata/flechette', 'commander', 'csv-parse', 'cli-progress', 'better-sqlite3']) expect(existsSync(join(modules, absent)), absent).toBe(false);
  });
});

describe('the installed package in plain Node', () => {
  it('imports churnkit, churnkit/node, churnkit/models and churnkit/wasm/simd, and scores on the kernel', () => {
    const answer = runScript('entries.mjs', `
      import * as core from 'churnkit';
      import { loadEngine, readModelFile } from 'churnkit/node';
      import { loadStorefrontModel, storefrontModelText } from 'churnkit/models';
      import kernel from 'churnkit/wasm/simd';
      const fromCore = await loadStorefrontModel(await core.loadEngine({ kernel }));
      const engine = await loadEngine();
      const fromFile = core.loadModel(engine, await readModelFile('model.json'));
      const record = { recency_days: 90, tenure_days: 30, has_ordered: 0 };
      console.log(JSON.stringify({ kernel: kernel.constructor.name, engine: engine.kind, a: fromCore.predict(record), b: fromFile.predict(record), text: storefrontModelText.length }));
    `);
    expect(answer).toMatchObject({ kernel: 'Uint8Array', engine: 'wasm-simd', text: expect.any(Number) });
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
        console.log(JSON.stringify({ status: response.status, body: await response.json() }));
        server.close();
        await plugin.close();
        await store.close();
      });
    `, { REDIS_URL: redis.url });
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok', probability: expect.any(Number) } });
  });
});
