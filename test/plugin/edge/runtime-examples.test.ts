/**
 * docs/examples/edge's Deno, Bun and Hono-on-Workers examples, run as the docs say, in the
 * real runtimes (deno and bun from npm, workerd through miniflare), scored over loopback HTTP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, type ListeningServer } from '../../support/listening-server.js';
import { exampleProject, REPO, type ExampleProject } from './example-project.js';
import { bundleWorker, startWorker, type RunningWorker } from './worker-runtime.js';

async function scores(url: URL) {
  const health = await fetch(new URL('/churn/healthz', url));
  expect(await health.json()).toMatchObject({ status: 'ok', engine: 'wasm-simd' });
  const response = await fetch(new URL('/churn/score', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ record: { recency_days: 200, has_ordered: 1 } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each([
  ['deno.ts', join(REPO, 'node_modules', '.bin', 'deno'), ['run', '--allow-net', '--allow-read', '--allow-env', 'deno.ts']],
  ['bun.ts', join(REPO, 'node_modules', '.bin', 'bun'), ['run', 'bun.ts']],
])('the %s example', (example, command, args) => {
  let project: ExampleProject;
  let server: ListeningServer;
  beforeAll(async () => {
    project = exampleProject(example);
    server = await listeningServer(command, args, project.dir, { ...process.env, PORT: '0', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
  });
  afterAll(() => {
    server?.stop();
    project.remove();
  });

  it('serves the scoring API on the SIMD kernel', async () => {
    const answer = await scores(server.url);
    expect(answer).toMatchObject({ status: 200 });
    expect(answer.body).toMatchObject({ status: 'ok', probability: expect.any(Number), band: expect.any(String) });
  });

  it("stores a batch of events and refuses a bad one, naming the event, with zod's compiled validators (the package's bundles never switch it to its interpreter)", async () => {
    const bundles = readdirSync(join(REPO, 'dist', 'bundle'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    for (const file of bundles) expect(readFileSync(join(REPO, 'dist', 'bundle', file), 'utf8'), file).not.toMatch(/jitless/);
    const post = async (events: unknown[]) => {
      const response = await fetch(new URL('/churn/events', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    expect(await post([{ customerId: 'c-1', type: 'order', value: 10 }])).toEqual({ status: 201, body: { accepted: 1 } });
    const refused = await post([{ customerId: 'c-1', type: 'order' }, { customerId: 'c-1', type: 'Order!' }]);
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'INVALID_BODY', field: 'events.1.type' } } });
  });
});

describe('the Hono-on-Workers example, in workerd', () => {
  let project: ExampleProject;
  let worker: RunningWorker;
  beforeAll(async () => {
    project = exampleProject('hono-worker.ts');
    worker = await startWorker(await bundleWorker(project.entry));
  });
  afterAll(async () => {
    await worker?.stop();
    project.remove();
  });

  it('mounts the scoring API and puts the assessment on product pages', async () => {
    expect((await scores(worker.url)).status).toBe(200);
    const page = await fetch(new URL('/products/p-7', worker.url), { headers: { 'x-customer-id': 'c-7' } });
    // An unknown shopper is scored at the population prior, at which the coupon pays (c-7 is in treatment).
    expect(await page.json()).toMatchObject({ product: 'p-7', offer: { name: 'coupon', cost: 5 } });
  });
});
