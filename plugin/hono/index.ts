/**
 * churnkit/hono: a Hono middleware that puts the churn assessment on the context
 * (`c.var.churn`) before the handler runs, plus the scoring API as a fetch handler to mount.
 * The same serving core, assessment, policy and routes as churnkit/express and
 * churnkit/fetch (one implementation); runs wherever Hono runs (Workers, Deno, Bun, Node).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ChurnAssessment } from '../assess.js';
import { assessRequest } from '../assess-request.js';
import { createEdgeServing, type EdgeServingOptions } from '../fetch/edge-serving.js';
import { routeRequest } from '../fetch/route-requests.js';
import type { ServingOptions } from '../options.js';
import type { ServingModel } from '../serving-model.js';

export type { ChurnAssessment, ChurnScore, ChurnUnavailable } from '../assess.js';
export type { ChosenAction } from '../policy/decide.js';
export type { ActionOptions, EngineOption } from '../options.js';
export type { Band } from '../scoring.js';
export type { ChurnStore } from '../store/types.js';
export { memoryStore } from '../store/memory-store.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The churn assessment of this request's customer (churnkit), set by its middleware. Never a rejection: failures give `{ status: 'unavailable' }`. */
    churn: ChurnAssessment;
  }
}

/** Options of the Hono `churn()`: `model`, `store` and `identify` are required. */
export interface HonoChurnOptions extends EdgeServingOptions<Context> {
  /** The customer behind a request (a header, a cookie, the session), or null/undefined if anonymous. */
  identify: ServingOptions<Context>['identify'];
}

/** The middleware returned by `churn()`, with the API and lifecycle attached. */
export interface HonoChurn extends MiddlewareHandler {
  /** The scoring API (score, batch, events, healthz, model) under `basePath`: `app.all('/churn/*', (c) => churnkit.fetch(c.req.raw))`. */
  fetch(request: Request): Promise<Response>;
  /** Resolves once the model is loaded; rejects with why not. */
  ready(): Promise<void>;
  /** The model serving right now. */
  model(): Promise<ServingModel>;
}

/**
 * Creates the middleware. Throws `OptionsError` for invalid options.
 *
 * @example
 * import { Hono } from 'hono';
 * import { churn, memoryStore } from 'churnkit/hono';
 *
 * const churnkit = churn({ model, engine: { module: kernel }, store: memoryStore(), identify: (c) => c.req.header('x-customer-id') });
 * const app = new Hono();
 * app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
 * app.get('/products/:id', churnkit, (c) => {
 *   const churn = c.var.churn;
 *   return c.json({ offer: churn.status === 'ok' ? churn.action : null });
 * });
 */
export function churn(options: HonoChurnOptions): HonoChurn {
  const { serving, hooks, routes } = createEdgeServing<Context>(options, 'churn()', true);
  const middleware: MiddlewareHandler = async (c, next) => {
    c.set('churn', await assessRequest(serving.context, hooks, c));
    await next();
  };
  return Object.assign(middleware, {
    fetch: (request: Request) => routeRequest(serving.context, request, routes),
    ready: serving.ready,
    model: serving.model,
  });
}
