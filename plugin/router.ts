/**
 * The plugin's router, mounted by the storefront under a prefix (`app.use('/churn', c.router())`):
 * scoring, events, outcomes, the model, health, metrics and the lift report. Every body goes
 * through a size-limited JSON parser and the unsafe-key check before its zod schema;
 * every error answers `{ error: { code, message, field? } }`.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { PluginContext } from './context.js';
import { mountEventRoutes } from './routes/events.js';
import { mountHealthRoute } from './routes/health.js';
import { mountModelRoutes } from './routes/model.js';
import { mountOutcomeRoutes } from './routes/outcomes.js';
import { mountMetricsRoute } from './routes/prometheus.js';
import { mountReportRoute } from './routes/report.js';
import { mountScoreRoutes } from './routes/score.js';
import { isAdmin } from './validation/admin-token.js';
import { sendError } from './validation/http-error.js';
import { findUnsafeKey } from './validation/unsafe-keys.js';

/** Builds the router of one plugin instance. */
export function createRouter(context: PluginContext): Router {
  const router = express.Router();
  router.use(countRequests(context));
  const jsonBody = [express.json({ limit: context.options.bodyLimit }), rejectUnsafeKeys];
  const modelBody = [express.json({ limit: context.options.modelBodyLimit }), rejectUnsafeKeys];
  mountScoreRoutes(router, context, jsonBody);
  mountEventRoutes(router, context, jsonBody);
  mountOutcomeRoutes(router, context, jsonBody);
  mountModelRoutes(router, context, adminOnly(context), modelBody);
  mountHealthRoute(router, context);
  mountMetricsRoute(router, context);
  mountReportRoute(router, context);
  router.use(answerErrors);
  return router;
}

function countRequests(context: PluginContext): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the URL: labels stay bounded whatever clients send.
      const route = req.route ? `${req.method} ${String(req.route.path)}` : 'unmatched';
      context.metrics.requests.inc({ route, status: String(res.statusCode) });
      context.metrics.latency.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

function rejectUnsafeKeys(req: Request, res: Response, next: NextFunction): void {
  const unsafe = findUnsafeKey(req.body);
  if (unsafe === null) return next();
  sendError(res, 400, 'UNSAFE_KEY', `field "${unsafe.field}": ${unsafe.message}`, unsafe.field);
}

/**
 * Admin routes need `Authorization: Bearer <token>`, checked before the body is read.
 * With no token configured they are closed (403) rather than open.
 */
function adminOnly(context: PluginContext): RequestHandler {
  return (req, res, next) => {
    if (context.options.adminToken === undefined) {
      return sendError(res, 403, 'ADMIN_DISABLED', 'admin routes are closed: no admin token is configured (adminToken or CHURNKIT_ADMIN_TOKEN)');
    }
    if (!isAdmin(req.get('authorization'), context.options.adminToken)) {
      res.set('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'UNAUTHORIZED', 'expected "Authorization: Bearer <admin token>"');
    }
    next();
  };
}

/** Body-parser failures become 4xx in the router's error shape; anything else is a 500 without internals. */
function answerErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === 'entity.too.large') return sendError(res, 413, 'BODY_TOO_LARGE', 'request body exceeds the size limit');
  if (type === 'entity.parse.failed') return sendError(res, 400, 'INVALID_JSON', 'request body is not valid JSON');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendError(res, status, 'BAD_REQUEST', error instanceof Error ? error.message : 'bad request');
  }
  sendError(res, 500, 'INTERNAL', 'internal error in the churnkit router');
}
