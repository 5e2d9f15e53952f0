/**
 * The two ways a request gets its churn assessment.
 *
 * - `req.churn` (the plugin mounted with `app.use`): the middleware only notes on the
 *   request which plugin answers it, behind a memoised getter; the store read, scoring and
 *   policy run the first time a route reads `req.churn`, and at most once per request.
 *   Routes that never read it (static files, checkout, health checks) pay for one property
 *   store and nothing else, without the storefront having to list which routes want scoring.
 * - `res.locals.churn` (`plugin.scoreRoute()` declared on a route): assessed before the
 *   handler runs, so the handler (or its view) reads a value, not a promise. When the
 *   answer is remembered (the customer viewed a page moments ago) the middleware calls
 *   `next()` in the same tick; the handler can stay synchronous, with no promise to
 *   await and no accessor on the request (bench/http measures both ways).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { settled, type ChurnAssessment } from '../assess.js';
import { assessRequest, type RequestHooks } from '../assess-request.js';
import type { PluginContext } from '../context.js';

/**
 * Per request: the plugin that answers `req.churn`, then, once read, its assessment. One
 * data property, stored by compiled code: the request object's hidden class changes the
 * same way on every request.
 */
const CHURN_STATE = Symbol('churnkit.churn');

/** The plugin's context and the hooks that read an Express request. */
export interface ExpressServing {
  context: PluginContext;
  hooks: RequestHooks<Request>;
}

interface ChurnRequest extends Request {
  [CHURN_STATE]?: ExpressServing | Promise<ChurnAssessment>;
}

/**
 * `req.churn`, one accessor for every request: it reads the plugin from the request, so it
 * can live on a prototype. Defined on each request instead, it cost a runtime call per
 * request (`Object.defineProperty`), a third of what the lazy page adds to a view.
 */
const churnAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: ChurnRequest): Promise<ChurnAssessment> | undefined {
    const state = this[CHURN_STATE];
    if (state === undefined || state instanceof Promise) return state;
    // Already assessed by `scoreRoute()` on this route: the same answer, not a second decision.
    const declared = this.res?.locals.churn;
    return (this[CHURN_STATE] = settled(declared ?? assessRequest(state.context, state.hooks, this)));
  },
  // On a prototype, a getter alone would make `req.churn = …` throw on every request of the
  // app (modules are strict), even on routes the plugin never saw: it is the request's own.
  set(this: ChurnRequest, value: unknown) {
    Object.defineProperty(this, 'churn', { value, writable: true, configurable: true, enumerable: true });
  },
};

/**
 * The request prototype of the outermost Express app `req` belongs to, which every sub-app's
 * request prototype inherits from once mounted (Express links them on `mount`): there
 * `req.churn` reaches a route anywhere in the app, before or after a sub-app the middleware
 * ran in, and apps that never mount the plugin are left alone. Null for a request that is
 * not an Express app's (a bare router on `http`).
 */
function outermostAppRequest(req: Request): object | null {
  let holder = Object.getPrototypeOf(req) as object | null;
  if (holder === null || !Object.hasOwn(holder, 'app')) return null;
  for (let parent = Object.getPrototypeOf(holder) as object | null; parent !== null && Object.hasOwn(parent, 'app'); parent = Object.getPrototypeOf(parent) as object | null) {
    holder = parent;
  }
  return holder;
}

/**
 * Defines the accessor on `holder` unless a `churn` is already there; whether `holder` now
 * gives this accessor. Someone else's `churn` (the app's own, or another copy of churnkit,
 * whose accessor reads its own symbol) is left as it is.
 */
function shareAccessor(holder: object): boolean {
  const existing = Object.getOwnPropertyDescriptor(holder, 'churn');
  if (existing === undefined) Object.defineProperty(holder, 'churn', churnAccessor);
  return existing === undefined || existing.get === churnAccessor.get;
}

/** Builds the middleware that gives the request `req.churn`. */
export function createMiddleware(serving: ExpressServing): RequestHandler {
  /** The request prototype last looked at (almost every request has the same), and whether it gives this accessor. */
  let checked: object | null | undefined;
  let shared = false;
  return function churnMiddleware(req: Request, _res: Response, next: NextFunction): void {
    const prototype = Object.getPrototypeOf(req) as object | null;
    if (prototype !== checked) {
      checked = prototype;
      const holder = outermostAppRequest(req);
      shared = holder !== null && shareAccessor(holder);
    }
    // Not shared by a prototype: the request's own accessor, as each of its requests gets.
    if (!shared) Object.defineProperty(req, 'churn', churnAccessor);
    // A second plugin mounted on the same app answers from then on, not a memo of the first.
    (req as ChurnRequest)[CHURN_STATE] = serving;
    next();
  };
}

/**
 * Builds the per-route middleware: the assessment in `res.locals.churn` before the
 * handler runs (where the plugin is also mounted app-wide, `req.churn` then gives it too).
 */
export function createRouteMiddleware(serving: ExpressServing): RequestHandler {
  return function churnScoreRoute(req: Request, res: Response, next: NextFunction): void {
    // Already read by an earlier middleware: one assessment per request, never two decisions.
    const state = (req as ChurnRequest)[CHURN_STATE];
    const assessment = state instanceof Promise ? state : assessRequest(serving.context, serving.hooks, req);
    if (assessment instanceof Promise) {
      void assessment.then((value) => {
        res.locals.churn = value;
        next();
      });
      return;
    }
    res.locals.churn = assessment;
    next();
  };
}
