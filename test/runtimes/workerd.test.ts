/**
 * docs/runtimes.md's Cloudflare Worker, bundled as Wrangler bundles it and run by workerd
 * through miniflare (both from npm), called over loopback HTTP like a deployed Worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Miniflare } from 'miniflare';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackage, INSTALL_TIMEOUT_MS, REPO } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';
import { bundleWorker, compatibilityDate } from '../../bench/worker-bundle.js';
import type { RawRecord } from '../../src/model/feature-spec.js';

let customers: RawRecord[];
let reference: number[];
let worker: Miniflare;
let url: URL;

beforeAll(async () => {
  customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  const folder = await runtimeFolder('workerd', customers);
  const examples = writeDocExamples(folder, ['worker.js', 'wrangler.toml']);
  const { modules } = await bundleWorker(folder, 'worker.js');
  expect(modules.map((module) => module.type)).toEqual(['ESModule', 'CompiledWasm']);
  worker = new Miniflare({ modules, compatibilityDate: compatibilityDate(examples['wrangler.toml']!), host: '127.0.0.1', port: 0 });
  url = await worker.ready;
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await worker?.dispose();
});

async function score(body: unknown): Promise<RuntimeAnswer> {
  const response = await fetch(new URL('/score', url), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(200);
  return (await response.json()) as RuntimeAnswer;
}

describe('workerd (Cloudflare Workers), through miniflare', () => {
  it('answers POST /score for the 1,000 customers with the SIMD kernel imported as a module, as Node scores them', async () => {
    expectSameScores(await score(customers), reference, 'wasm-simd');
  });

  it('answers one customer at a time, from the model loaded once per isolate', async () => {
    for (const index of [0, 1, 999]) {
      const answer = await score(customers[index]);
      expect(answer.engine).toBe('wasm-simd');
      expect(Math.abs(answer.probabilities[0]! - reference[index]!)).toBeLessThan(1e-6);
    }
  });

  it('refuses the kernel given as bytes with an EngineError saying why, instead of quietly running the TypeScript engine', async () => {
    const folder = join((await installedPackage()).project, 'workerd-bytes');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(REPO, 'build', 'churnkit.simd.wasm'), join(folder, 'kernel.bin'));
    writeFileSync(join(folder, 'worker.js'), `
      import { loadEngine } from 'churnkit';
      import bytes from './kernel.bin';
      export default {
        async fetch() {
          try {
            return Response.json({ engine: (await loadEngine({ kernel: bytes })).kind });
          } catch (error) {
            return Response.json({ name: error.name, code: error.code, message: error.message });
          }
        },
      };`);
    const { modules } = await bundleWorker(folder, 'worker.js');
    const bytesWorker = new Miniflare({ modules, compatibilityDate: '2026-04-01', host: '127.0.0.1', port: 0 });
    try {
      const answer = await (await fetch(await bytesWorker.ready)).json();
      expect(answer).toMatchObject({ name: 'EngineError', code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/disallowed by embedder.*import kernel from 'churnkit\/wasm\/simd'/) });
    } finally {
      await bytesWorker.dispose();
    }
  });

  it('answers other routes with the documented 404', async () => {
    const response = await fetch(new URL('/elsewhere', url));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/POST \/score/) });
  });
});
