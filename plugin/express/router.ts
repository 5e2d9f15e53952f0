/**
 * The plugin's Express router, mounted by the storefront under a prefix
 * (`app.use('/churn', plugin.router())`): the shared routes (routes/route-table.ts) plus
 * Prometheus `/metrics` and the serving model's report page (`/model/report`). Every body
 * must be sent as UTF-8 JSON (415 otherwise) and goes through a size-limited JSON parser and
 * the unsafe-key check before the route sees it; every error, an unknown path (404) or method
 * (405) included, answers
 * `{ error: { code, message, field? } }`.
 */
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { PluginContext } from '../context.js';
import { reportError } from '../error-report.js';
import type { Route } from '../routes/route.js';
import { serverRoutes } from '../routes/route-table.js';
import { unmatchedAnswer, type ServedRoute } from '../routes/unmatched.js';
import { isAdmin } from '../validation/admin-token.js';
import { bodyTooLarge, emptyBody, internalError, invalidJson, invalidUtf8, unsafeBodyAnswer, unsupportedBodyAnswer } from '../validation/transport-answers.js';
import { errorAnswer, type JsonAnswer } from '../validation/http-error.js';
import { bytesOf } from '../options.js';
import express from './peer-express.js';
import { modelReportHandler } from './model-report.js';
import type { PrometheusMetrics } from './prometheus-metrics.js';

/** What the router needs besides the shared context. */
export interface RouterSettings {
  context: PluginContext;
  metrics: PrometheusMetrics;
  adminToken: string | undefined;
  bodyLimit: string | number;
  modelBodyLimit: string | number;
}

/** Builds the router of one plugin instance. */
export function createRouter(settings: RouterSettings): Router {
  // Paths match exactly, as in the fetch handler: `/score/` and `/SCORE` are 404 in both.
  const router = express.Router({ strict: true, caseSensitive: true });
  router.use(countRequests(settings.metrics));
  const bodyParsers = {
    json: [requireJsonBody(bytesOf(settings.bodyLimit)), express.json({ limit: settings.bodyLimit, verify: checkRawBody }), rejectUnsafeKeys],
    model: [requireJsonBody(bytesOf(settings.modelBodyLimit)), express.json({ limit: settings.modelBodyLimit, verify: checkRawBody }), rejectUnsafeKeys],
  };
  for (const route of serverRoutes) {
    const before: RequestHandler[] = [...(route.admin ? [adminOnly(settings.adminToken)] : []), ...(route.body ? bodyParsers[route.body] : [])];
    router[method(route)](route.path, ...before, serve(settings.context, route));
  }
  router.get(MODEL_REPORT_ROUTE.path, modelReportHandler(settings.context));
  router.get(METRICS_ROUTE.path, async (_req: Request, res: Response) => {
    const registry = settings.metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  });
  // Anything else under the mount point: the JSON 404/405, not Express's HTML page. The path
  // shown is the one asked for (the mount point alone, /churn, is /churn/ to the router).
  router.use((req: Request, res: Response) => send(res, unmatchedAnswer(SERVED, req.method, req.path, req.originalUrl.split('?', 1)[0])));
  router.use(answerErrors(settings.context));
  return router;
}

const METRICS_ROUTE: ServedRoute = { method: 'GET', path: '/metrics' };
const MODEL_REPORT_ROUTE: ServedRoute = { method: 'GET', path: '/model/report' };
const SERVED: readonly ServedRoute[] = [...serverRoutes, METRICS_ROUTE, MODEL_REPORT_ROUTE];

function method(route: Route): 'get' | 'post' | 'put' | 'delete' {
  return route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
}

/** The route's answer as the response; a thrown error goes on to `answerErrors` (Express 5 passes async rejections). */
function serve(context: PluginContext, route: Route): RequestHandler {
  return async (req: Request, res: Response) => {
    send(res, await route.handle(context, req.body));
  };
}

/**
 * The answer as the response. GET and HEAD answers go through `res.json`, so the app's ETag
 * and conditional requests apply (a 304 for a model unchanged since the client's copy). Any
 * other method's answer is written as it is: an ETag on a POST answer is never used (no cache
 * keeps it, no client sends it back), yet `res.json` hashed every body for one (SHA-1 over a
 * whole batch's results) after copying it into a Buffer. Writing it directly took
 * `POST /churn/score` from 2,877-5,549 to 3,436-6,477 requests/s (six A/B pairs of 8 s,
 * storefront pinned to one core; +14 % or more in each). Node sets the Content-Length. The
 * app's `json spaces` and `json replacer` settings shape the GET answers only.
 */
function send(res: Response, answer: JsonAnswer): void {
  if (answer.headers) res.set(answer.headers);
  res.status(answer.status);
  if (res.req.method === 'GET' || res.req.method === 'HEAD') {
    res.json(answer.body);
    return;
  }
  res.set('Content-Type', 'application/json; charset=utf-8').end(JSON.stringify(answer.body));
}

function countRequests(metrics: PrometheusMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the URL: labels stay bounded whatever clients send.
      const route = req.route ? `${req.method} ${String(req.route.path)}` : 'unmatched';
      metrics.requests.inc({ route, status: String(res.statusCode) });
      metrics.latency.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/**
 * Before a byte is read: 415 for anything but UTF-8 JSON (transport-answers.ts), 400 for a
 * body declared empty or absent, and 413 for a body whose Content-Length is past the limit.
 * The JSON parser refuses that one too, but only once the whole declared body has come in: a
 * client that declares 100 MB and sends a few bytes would get no answer until the server's
 * request timeout. What the client still sends after this answer is read and dropped by Node,
 * so a client that does send it keeps its connection (one closed under it would lose the
 * answer with the connection).
 */
function requireJsonBody(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    const unsupported = unsupportedBodyAnswer(req.get('content-type'), req.get('content-encoding'));
    if (unsupported !== null) return send(res, unsupported);
    if (declaresNoBody(req)) return send(res, emptyBody());
    if (Number(req.get('content-length')) > limitBytes) return send(res, bodyTooLarge());
    spellUtf8ForBodyParser(req);
    next();
  };
}

/**
 * Whether the request's headers say its body is empty: `Content-Length: 0`, or neither a
 * Content-Length nor a Transfer-Encoding (`curl -X POST` without data). Answered from the
 * headers, before any parser: Express's JSON parser skips a request without a body (the route
 * would see `undefined`), and an app-wide `express.json()` mounted before the router has
 * already read an empty one as `{}` (the router's own parser then skips it too), which a score
 * request would answer with the anonymous prior.
 */
function declaresNoBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return length === undefined ? req.headers['transfer-encoding'] === undefined : Number(length) === 0;
}

/**
 * `unsupportedBodyAnswer` accepts `charset=utf8`, UTF-8's other label, as the fetch handler
 * reads it; Express's JSON parser reads only charsets spelled `utf-…` and refused it (415). The
 * parser is shown the name it reads.
 */
function spellUtf8ForBodyParser(req: Request): void {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) req.headers['content-type'] = contentType.replace(/(;\s*charset=)("?)utf8\2(?=\s*(;|$))/i, '$1$2utf-8$2');
}

/**
 * The JSON parser's check of the raw bytes, before it parses them (it would read an empty
 * body as `{}`, and so a byte-order mark alone, which its decoder drops, as the fetch
 * handler's does): what is thrown fails the request with its `type`, answered by `answerErrors`.
 */
function checkRawBody(_req: Request, _res: Response, bytes: Buffer): void {
  if (bytes.length === 0 || bytes.equals(UTF8_BOM)) throw Object.assign(new Error('request body is empty'), { type: EMPTY_BODY });
  if (!isUtf8(bytes)) throw Object.assign(new Error('request body is not UTF-8'), { type: NOT_UTF8 });
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY_BODY = 'churnkit.body.empty';
const NOT_UTF8 = 'churnkit.body.not-utf8';

function rejectUnsafeKeys(req: Request, res: Response, next: NextFunction): void {
  const unsafe = unsafeBodyAnswer(req.body);
  if (unsafe === null) return next();
  send(res, unsafe);
}

/**
 * Admin routes need `Authorization: Bearer <token>`, checked before the body is read.
 * With no token configured they are closed (403) rather than open.
 */
function adminOnly(adminToken: string | undefined): RequestHandler {
  return async (req, res, next) => {
    if (adminToken === undefined) {
      return send(res, errorAnswer(403, 'ADMIN_DISABLED', 'admin routes are closed: no admin token is configured (adminToken or CHURNKIT_ADMIN_TOKEN)'));
    }
    if (!(await isAdmin(req.get('authorization'), adminToken))) {
      res.set('WWW-Authenticate', 'Bearer');
      return send(res, errorAnswer(401, 'UNAUTHORIZED', 'expected "Authorization: Bearer <admin token>"'));
    }
    next();
  };
}

/**
 * Body-parser failures become 4xx in the router's error shape (their messages are written to
 * be shown: `expose`); anything else is a 500 without internals, its error handed to `onError`.
 */
function answerErrors(context: PluginContext) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const { type, status, expose } = (error ?? {}) as { type?: string; status?: number; expose?: boolean };
    if (type === 'entity.too.large') return send(res, bodyTooLarge());
    if (type === 'entity.parse.failed') return send(res, invalidJson());
    if (type === NOT_UTF8) return send(res, invalidUtf8());
    if (type === EMPTY_BODY) return send(res, emptyBody());
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(res, errorAnswer(status, 'BAD_REQUEST', expose === true && error instanceof Error ? error.message : 'bad request'));
    }
    reportError(context.onError, error, { code: 'INTERNAL', customerId: null });
    send(res, internalError());
  };
}
