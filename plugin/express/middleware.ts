/**
 * The two ways a request gets its churn assessment.
 *
 * - `req.churn` (the plugin mounted with `app.use`): the middleware only installs a
 *   memoised getter; the store read, scoring and policy run the first time a route reads
 *   `req.churn`, and at most once per request. Routes that never read it (static files,
 *   checkout, health checks) pay for two property definitions and nothing else, without
 *   the storefront having to list which routes want scoring.
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

const ASSESSMENT = Symbol('churnkit.assessment');

/** The plugin's context and the hooks that read an Express request. */
export interface ExpressServing {
  context: PluginContext;
  hooks: RequestHooks<Request>;
}

interface ChurnRequest extends Request {
  [ASSESSMENT]?: Promise<ChurnAssessment>;
}

/**
 * The accessor a plugin installs on each request, made once per plugin: it closes over the
 * plugin, so a request gets one property definition and nothing else (a symbol naming the
 * plugin, added to every request, cost a second hidden-class transition). V8 keeps an
 * accessor in the object's hidden class: a getter made per request would give every
 * request object its own class, which costs an old-generation allocation per request and
 * turns Express's own property reads on `req` megamorphic.
 */
function churnProperty(serving: ExpressServing): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get(this: ChurnRequest): Promise<ChurnAssessment> {
      if (this[ASSESSMENT] !== undefined) return this[ASSESSMENT];
      // Already assessed by `scoreRoute()` on this route: the same answer, not a second decision.
      const declared = this.res?.locals.churn;
      return (this[ASSESSMENT] = settled(declared ?? assessRequest(serving.context, serving.hooks, this)));
    },
  };
}

/** Builds the middleware that installs `req.churn`. */
export function createMiddleware(serving: ExpressServing): RequestHandler {
  const property = churnProperty(serving);
  return function churnMiddleware(req: Request, _res: Response, next: NextFunction): void {
    const churnRequest = req as ChurnRequest;
    // A second plugin mounted on the same app answers from then on, not a memo of the first.
    if (churnRequest[ASSESSMENT] !== undefined) churnRequest[ASSESSMENT] = undefined;
    Object.defineProperty(req, 'churn', property);
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
    const assessment = (req as ChurnRequest)[ASSESSMENT] ?? assessRequest(serving.context, serving.hooks, req);
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
