/**
 * The demo's product page on Hono, for the benchmarks that compare frameworks: without
 * churnkit, or behind churnkit/hono's middleware on a SQLite store (the demo's policy, the
 * default cache), with churnkit's fetch handler under /churn for the events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ChurnAssessment } from '../plugin/assess.js';
import { DEMO_POLICY } from '../plugin/demo/demo-policy.js';
import { productPage } from '../plugin/demo/product-page.js';
import { churn } from '../plugin/hono/index.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import { repoRoot } from './repo-root.js';

function render(c: Context, assessment: ChurnAssessment | undefined): Response {
  const page = productPage(c.req.param('id')!, assessment);
  return c.body(page.body, page.status, { 'content-type': page.contentType });
}

/**
 * GET /products/:id; with `withChurnkit`, scored by churnkit on the store in `dataDir`, and
 * `/churn/*` answered by churnkit's fetch handler. Resolves once the model is loaded.
 *
 * @example
 *   const app = await honoStorefront({ dataDir, modelPath });
 *   serve({ fetch: app.fetch, port: 0 });
 */
export async function honoStorefront(withChurnkit?: { dataDir: string; modelPath: string }): Promise<Hono> {
  const app = new Hono();
  if (!withChurnkit) {
    app.get('/products/:id', (c) => render(c, undefined));
    return app;
  }
  const churnkit = churn({
    model: JSON.parse(readFileSync(withChurnkit.modelPath, 'utf8')) as object,
    engine: { kernel: readFileSync(join(repoRoot(), 'build', 'churnkit.simd.wasm')) },
    store: openSqliteStore({ dataDir: withChurnkit.dataDir }),
    identify: (c) => c.req.header('x-customer-id'),
    ...DEMO_POLICY,
  });
  await churnkit.ready();
  app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
  app.get('/products/:id', churnkit, (c) => render(c, c.var.churn));
  return app;
}
