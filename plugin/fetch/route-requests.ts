/**
 * Serving the edge routes (routes/route-table.ts) to web-standard requests: match the
 * method and path under `basePath`, read the JSON body, run the shared route, write its
 * answer. Used by the fetch handler and, through it, by the Hono middleware.
 */
import type { PluginContext } from '../context.js';
import { reportError } from '../error-report.js';
import { edgeRoutes } from '../routes/route-table.js';
import { unmatchedAnswer } from '../routes/unmatched.js';
import type { JsonAnswer } from '../validation/http-error.js';
import { internalError, unparsableUrl } from '../validation/transport-answers.js';
import { readJsonBody } from './read-json-body.js';

/** Where the routes are mounted and how large a body may be. */
export interface RouteSettings {
  /** e.g. `/churn`; `''` serves the routes at the root. */
  basePath: string;
  bodyLimitBytes: number;
}

/**
 * Answers `request` with the route it names, or a 404 (unknown path) or 405 (known path,
 * other method) in the routes' error shape; a HEAD as its GET, without the body.
 *
 * @example
 * const response = await routeRequest(context, request, { basePath: '/churn', bodyLimitBytes: 1 << 20 });
 */
export async function routeRequest(context: PluginContext, request: Request, settings: RouteSettings): Promise<Response> {
  if (request.method !== 'HEAD') return answer(context, request, settings);
  // HEAD is GET without the body, as Express (and HTTP) answer it: a load balancer's HEAD
  // health check sees /healthz's status, not a 405.
  const response = await answer(context, request, settings);
  return new Response(null, { status: response.status, headers: response.headers });
}

/** The answer to `request`, a HEAD matched as a GET. */
async function answer(context: PluginContext, request: Request, settings: RouteSettings): Promise<Response> {
  const path = requestPath(request.url);
  if (path === null) return respond(unparsableUrl());
  const relative = path.startsWith(settings.basePath) ? path.slice(settings.basePath.length) : null;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const route = edgeRoutes.find((candidate) => candidate.path === relative && candidate.method === method);
  if (route === undefined) return respond(unmatchedAnswer(relative === null ? [] : edgeRoutes, request.method, relative ?? path, path));
  try {
    let body: unknown;
    if (route.body !== undefined) {
      const reading = await readJsonBody(request, settings.bodyLimitBytes);
      if ('answer' in reading) return respond(reading.answer);
      body = reading.body;
    }
    return respond(await route.handle(context, body));
  } catch (error) {
    reportError(context.onError, error, { code: 'INTERNAL', customerId: null });
    return respond(internalError());
  }
}

/**
 * The path of a request's URL, or null when the URL does not parse. Runtimes build `request.url`
 * from the Host header: without a valid one, Bun gives the bare path for some (`/churn/healthz`
 * for a missing Host or `Host: a b`, resolved here against a stand-in origin), and Deno for all,
 * Bun for others, write the header in as it came (`http://a b/churn/healthz`,
 * `http://x:99999/churn/healthz`, which no parser reads). `new URL` alone threw out of the
 * handler on both, and the runtime answered its own 500 page.
 */
function requestPath(url: string): string | null {
  try {
    return new URL(url.startsWith('/') ? `http://localhost${url}` : url).pathname;
  } catch {
    return null;
  }
}

/** A route's answer as a JSON `Response`, with the content type Express gives it. */
export function respond(answer: JsonAnswer): Response {
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
  });
}
