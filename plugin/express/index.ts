/**
 * churnkit/express: churn scoring inside the storefront's own Express process.
 *
 * `churn(options)` validates its options once and returns a middleware that gives every
 * request a lazy `req.churn`, plus `.router()` with the HTTP API (score, events, outcomes,
 * model hot-swap, customer erasure, health, metrics, lift report).
 */
import type { RequestHandler, Router } from 'express';
import { writeFileAtomically } from '../../src/node/write-file-atomically.js';
import { loadEngine } from '../../src/node/index.js';
import { readModelBytes } from '../../src/node/read-model-file.js';
import type { ChurnAssessment } from '../assess.js';
import type { RawRecord, ServingModel } from '../serving-model.js';
import { createServing } from '../serving.js';
import { openDefaultStore } from './default-store.js';
import { createMiddleware, createRouteMiddleware, type ExpressServing } from './middleware.js';
import { resolveOptions, type ChurnOptions } from './options.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';
import { createRouter } from './router.js';
import { registerRetrainMetrics } from './retrain-metrics.js';
import { retrainCommand, scheduleRetraining } from '../retrain/retrain-scheduler.node.js';
import type { RetrainRun } from '../retrain/retrain-run.js';
import { OptionsError } from '../../src/errors.js';

export type { ChurnAssessment, ChurnScore, ChurnUnavailable } from '../assess.js';
export type { ChosenAction } from '../policy/decide.js';
export type { ActionOptions, ChurnOptions, EngineOption } from './options.js';
export type { RetrainOptions } from '../retrain/retrain-options.js';
export type { RetrainRun } from '../retrain/retrain-run.js';
export type { Band } from '../scoring.js';
export type { ServingModel } from '../serving-model.js';
export type { ChurnStore } from '../store/types.js';
export { loadUpliftModels, type UpliftModels } from '../policy/load-uplift-models.node.js';
export { createExpressServer, expressServerClasses, type ExpressServerClasses } from './express-server.js';

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
  /**
   * Resolves once the initial model is loaded and the store open; rejects if either cannot
   * be (await it at startup to fail fast): a model file that does not parse, or a kernel
   * that cannot load (unless `engine: { fallback: 'js' }`), with an error naming why.
   */
  ready(): Promise<void>;
  /** The model serving right now. */
  model(): Promise<ServingModel>;
  /** Scores outside a request (jobs, tests): same path as `req.churn`. */
  assess(customerId: string | null, record?: RawRecord): Promise<ChurnAssessment>;
  /**
   * With the `retrain` option: retrains now (or joins the run under way), and resolves with
   * the run's report once the challenger is promoted or not; rejects with why it failed.
   */
  retrain(): Promise<RetrainRun>;
  /** Stops scheduled retraining (ending a run under way), then closes the store if the plugin opened it, never one it was given. */
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
  let serving: ReturnType<typeof createServing> | undefined;
  const metrics = createPrometheusMetrics(
    resolved.registry,
    () => servingModelNow(serving)?.engine,
    () => {
      const model = servingModelNow(serving);
      return model === undefined ? undefined : serving!.context.drift.report(model);
    },
  );
  serving = createServing({
    options: resolved,
    metrics,
    // The kernel from this package's build/ folder; an error naming why if it cannot load.
    loadEngine,
    readModelFile: (path) => readModelBytes(path),
    openDefaultStore: () => openDefaultStore(resolved.dataDir),
    ...(resolved.savedModelPath === undefined ? {} : { saveModel: saveModelTo(resolved.savedModelPath) }),
  });
  const retraining = resolved.retrain && scheduleRetraining(resolved.retrain, serving.context, retrainCommand(), registerRetrainMetrics(resolved.registry));
  const express: ExpressServing = { context: serving.context, hooks: { identify: resolved.identify, features: resolved.features } };
  const routeMiddleware = createRouteMiddleware(express);
  let router: Router | undefined;
  return Object.assign(createMiddleware(express), {
    scoreRoute: (...args: unknown[]) => (mountedUncalled(args, 'scoreRoute') ? undefined! : routeMiddleware),
    router: (...args: unknown[]) =>
      mountedUncalled(args, 'router')
        ? undefined!
        : (router ??= createRouter({
            context: serving.context,
            metrics,
            adminToken: resolved.adminToken,
            bodyLimit: resolved.bodyLimit,
            modelBodyLimit: resolved.modelBodyLimit,
          })),
    ready: serving.ready,
    model: serving.model,
    assess: serving.assess,
    retrain: () => retraining?.runNow() ?? Promise.reject(new OptionsError('PLUGIN_OPTIONS', 'retrain(): the plugin was created without the "retrain" option')),
    close: async () => {
      await retraining?.stop();
      await serving.close();
    },
  });
}

/**
 * `router` and `scoreRoute` make middleware. Mounted themselves, the parentheses forgotten
 * (`app.use('/churn', plugin.router)`), Express would call them with each request, which
 * they would never answer: every request would hang. Called so, they pass `next` an error
 * naming the fix, and the first request shows it.
 */
function mountedUncalled(args: unknown[], name: string): boolean {
  const next = args[2];
  if (typeof next !== 'function') return false;
  next(new OptionsError('PLUGIN_OPTIONS', `plugin.${name} makes the middleware: mount plugin.${name}(), not plugin.${name}`));
  return true;
}

/** Writes a swapped model over the model file, durably and in one step. */
function saveModelTo(path: string): (file: unknown) => Promise<void> {
  return (file) => writeFileAtomically(path, `${JSON.stringify(file)}\n`);
}

/** The model serving now, if one is loaded (read when metrics are scraped). */
function servingModelNow(serving: ReturnType<typeof createServing> | undefined): ServingModel | undefined {
  const current = serving?.context.slot.current();
  return current === undefined || current instanceof Promise ? undefined : current;
}
