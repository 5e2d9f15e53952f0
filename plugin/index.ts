/**
 * churnkit/express: churn scoring inside the storefront's own Express process.
 *
 * `churn(options)` validates its options once and returns a middleware that gives every
 * request a lazy `req.churn`, plus `.router()` with the HTTP API (score, events, outcomes,
 * model hot-swap, health, metrics, lift report).
 */
import type { RequestHandler, Router } from 'express';
import { assess, type ChurnAssessment } from './assess.js';
import type { PluginContext } from './context.js';
import { createMetrics } from './metrics.js';
import { createMiddleware, createRouteMiddleware } from './middleware.js';
import { createModelSlot } from './model-slot.js';
import { engineProvider, loadServingModel } from './load-model.js';
import { createBudgetRefusals } from './policy/budget-refusals.js';
import { resolveOptions, type ChurnOptions } from './options.js';
import { createRouter } from './router.js';
import type { ServingModel } from './serving-model.js';
import { cacheCustomerReads } from './store/customer-cache.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { bodySchemas } from './validation/bodies.js';

export type { ChurnAssessment, ChurnScore, ChurnUnavailable } from './assess.js';
export type { ChosenAction } from './policy/decide.js';
export type { ActionOptions, ChurnOptions } from './options.js';
export type { Band } from './scoring.js';
export type { ChurnStore } from './store/types.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite-store.js';
export { openRedisStore, type RedisStoreOptions } from './store/redis-store.js';
export { loadUpliftModels, type UpliftModels } from './policy/load-uplift-models.js';

// Declared here, in the entry point, so `churnkit/express`'s own typings carry it.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The churn assessment of this request's customer (churnkit). Computed on first
       * read and memoised; never rejects: failures give `{ status: 'unavailable', reason }`.
       */
      churn: Promise<ChurnAssessment>;
    }
    interface Locals {
      /** The churn assessment, set before the handler by `plugin.scoreRoute()` (churnkit). */
      churn?: ChurnAssessment;
    }
  }
}

/** The middleware returned by `churn()`, with the plugin's router and lifecycle attached. */
export interface ChurnPlugin extends RequestHandler {
  /**
   * Middleware for one route: assesses the request before the handler runs and puts the
   * answer in `res.locals.churn` (views see it as `churn`). A remembered answer is there
   * in the same tick, so the handler can stay synchronous; the fastest way to score a hot
   * route such as a product page. Works with or without the plugin mounted app-wide.
   */
  scoreRoute(): RequestHandler;
  /** The HTTP API; mount it under a prefix: `app.use('/churn', plugin.router())`. */
  router(): Router;
  /** Resolves once the initial model is loaded; rejects if it cannot be (await it at startup to fail fast). */
  ready(): Promise<void>;
  /** The model serving right now. */
  model(): Promise<ServingModel>;
  /** Scores outside a request (jobs, tests): same path as `req.churn`. */
  assess(customerId: string | null, record?: Record<string, string | number | boolean | null>): Promise<ChurnAssessment>;
  /** Closes the store if the plugin opened it (the default SQLite store). */
  close(): Promise<void>;
}

/**
 * Creates the churn plugin. Throws `OptionsError` for invalid options.
 *
 * @example
 * import express from 'express';
 * import { churn } from 'churnkit/express';
 *
 * const app = express();
 * const plugin = churn({
 *   model: 'models/ecommerce.json',
 *   identify: (req) => req.get('x-customer-id'),
 *   policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.2 }] },
 *   dailyBudget: 500,
 * });
 * await plugin.ready();
 * app.use(plugin);
 * app.use('/churn', plugin.router());
 * app.get('/account', async (req, res) => {
 *   const churn = await req.churn; // lazy: assessed only on routes that read it
 *   res.render('account', { offer: churn.status === 'ok' ? churn.action : null });
 * });
 * // A hot route declares it instead: assessed before the handler, which stays synchronous.
 * app.get('/product/:id', plugin.scoreRoute(), (req, res) => {
 *   const churn = res.locals.churn!;
 *   res.render('product', { offer: churn.status === 'ok' ? churn.action : null });
 * });
 */
export function churn(options: ChurnOptions): ChurnPlugin {
  const resolved = resolveOptions(options);
  const engine = engineProvider(resolved.engine);
  const slot = createModelSlot(loadServingModel(resolved.model, engine));
  const ownsStore = resolved.store === undefined;
  const ownStore = resolved.store ?? openSqliteStore({ dataDir: resolved.dataDir });
  const store = cacheCustomerReads(ownStore, { ttlMs: resolved.cacheTtlMs, maxAgeMs: resolved.cacheMaxAgeMs, clock: resolved.clock });
  const context: PluginContext = {
    options: resolved,
    slot,
    engine,
    store,
    policy: resolved.policy,
    budgetRefusals: createBudgetRefusals(),
    bands: resolved.bands,
    storeTimeoutMs: resolved.storeTimeoutMs,
    clock: resolved.clock,
    metrics: createMetrics(resolved.registry),
    schemas: bodySchemas(resolved.batchLimit),
  };
  const middleware = createMiddleware(context);
  const routeMiddleware = createRouteMiddleware(context);
  let router: Router | undefined;
  return Object.assign(middleware, {
    scoreRoute: () => routeMiddleware,
    router: () => (router ??= createRouter(context)),
    ready: async () => {
      await slot.current();
    },
    model: async () => slot.current(),
    assess: async (customerId: string | null, record?: Record<string, string | number | boolean | null>) =>
      assess(context, { customerId, record: record ?? null, model: await slot.current() }),
    close: async () => {
      if (ownsStore) await ownStore.close();
    },
  });
}
