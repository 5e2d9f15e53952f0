/**
 * The store the Express plugin opens itself (no `store` option: SQLite in `dataDir`, opened
 * once the model has loaded, `opened-later.ts`) reads a customer as the same store given to
 * the plugin does: in one synchronous read (`readCustomerViewNow`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { afterAll, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { NOW } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel } from './test-model.js';

const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-default-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('calls next in the same tick on a cold view with the SQLite store it opened itself, as with one given to it', async () => {
  const plugin = churn({ model: await testModel(), identify: (req) => req.get('x-customer-id'), modelFit: TEST_MODEL_FIT, dataDir, clock: () => NOW, cacheTtlMs: 0 });
  try {
    await plugin.ready();
    const middleware = plugin.scoreRoute();
    let nextCalls = 0;
    const view = { req: { get: (name: string) => (name === 'x-customer-id' ? 'c1' : undefined) } as unknown as Request, res: { locals: {} } as unknown as Response };
    middleware(view.req, view.res, () => nextCalls++);
    expect(nextCalls).toBe(1);
    expect(view.res.locals.churn).toMatchObject({ status: 'ok', customerId: 'c1', action: null });
  } finally {
    await plugin.close();
  }
});
