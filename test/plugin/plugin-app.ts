/**
 * A storefront for plugin tests: Express with the plugin mounted, a real SQLite store in
 * a fresh temp directory, the hand-weighted test model and a settable clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Express } from 'express';
import request from 'supertest';
import type { ChurnAssessment } from '../../plugin/assess.js';
import { churn, type ChurnOptions, type ChurnPlugin } from '../../plugin/express/index.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { TEST_MODEL_FIT, testModel } from './test-model.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const NOW = Date.parse('2026-11-23T12:00:00Z');
export const DAY = 86_400_000;

export interface TestStorefront {
  app: Express;
  plugin: ChurnPlugin;
  store: ChurnStore;
  clock: { now: number };
  /** Where the store's SQLite file is (unless a store was given). */
  dataDir: string;
  /** Closes the store and removes the temp directory. */
  close(): Promise<void>;
}

/**
 * Builds the storefront. The product page reads `req.churn`; `/static` never does.
 * The customer id comes from the `x-customer-id` header, the cart size from `x-cart-items`.
 */
export async function testStorefront(overrides: Partial<ChurnOptions> = {}): Promise<TestStorefront> {
  const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-plugin-'));
  const store = overrides.store ?? openSqliteStore({ dataDir });
  const clock = { now: NOW };
  const plugin = churn({
    model: await testModel(),
    identify: (req) => req.get('x-customer-id'),
    features: (req) => (req.get('x-cart-items') ? { cart_items: Number(req.get('x-cart-items')) } : {}),
    adminToken: ADMIN_TOKEN,
    modelFit: TEST_MODEL_FIT,
    clock: () => clock.now,
    // The store's writes run on its writer thread: on a busy test machine one can take longer
    // than the 5 ms default, which would make these behaviour tests fail open at random.
    // Tests of the budget itself set their own.
    storeTimeoutMs: 1_000,
    ...overrides,
    store,
  });
  await plugin.ready();
  const app = express();
  app.use(plugin);
  app.use('/churn', plugin.router());
  app.get('/product/:id', async (req, res) => {
    res.json({ product: req.params.id, churn: await req.churn });
  });
  app.get('/static', (_req, res) => {
    res.send('ok');
  });
  return {
    app,
    plugin,
    store,
    clock,
    dataDir,
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A coupon only for a shopper whose cart is empty (`x-cart-items: 0`), once a day at most: what `viewAtOnceFromCache` needs. */
export const EMPTY_CART_COUPON = { name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY, eligibility: [{ feature: 'cart_items', atMost: 0 }] };

/**
 * The product page viewed by `customerId` on every instance at once, each having cached the
 * customer first (a view with items in the cart, where the policy's one action,
 * `EMPTY_CART_COUPON`, is not allowed): every instance then decides on the decisions it read
 * before any of them logged one, as instances sharing a store do within their customer
 * cache's bound. Returns each instance's `req.churn`, in order.
 */
export async function viewAtOnceFromCache(instances: readonly TestStorefront[], customerId: string): Promise<ChurnAssessment[]> {
  const page = (instance: TestStorefront, cartItems: number) => request(instance.app).get('/product/p1').set('x-customer-id', customerId).set('x-cart-items', String(cartItems)).expect(200);
  for (const instance of instances) {
    const cached = (await page(instance, 3)).body.churn as ChurnAssessment;
    if (cached.status !== 'ok' || cached.action !== null) throw new Error(`expected a view that issues nothing, got ${JSON.stringify(cached)}`);
  }
  const views = await Promise.all(instances.map((instance) => page(instance, 0)));
  return views.map((view) => view.body.churn as ChurnAssessment);
}

/** What each answer issued, in sorted order: an action's name, null for none, or an unavailable answer's code. */
export function issuedActions(answers: readonly ChurnAssessment[]): (string | null)[] {
  return answers.map((churn) => (churn.status === 'ok' ? (churn.action?.name ?? null) : churn.code)).sort();
}

/** Counts the calls the plugin makes to one method of the raw store. */
export function countCalls(target: TestStorefront, method: 'readCustomerViewNow' | 'decisionsSince' | 'recordDecision' | 'eventLog' | 'challengerLog'): { calls: number } {
  const counter = { calls: 0 };
  const original = (target.store[method] as (...args: unknown[]) => unknown).bind(target.store);
  (target.store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    counter.calls++;
    return original(...args);
  };
  return counter;
}
