/**
 * An HTTP server for an Express app whose requests and responses are born as the app's own,
 * so Express has no prototype to change and V8 frees them young.
 *
 * Express (4 and 5) makes every request and response an object of the app as it enters:
 * `Object.setPrototypeOf(req, app.request)` and `(res, app.response)` in `app.handle`. Once
 * an object's prototype has changed, V8's young-generation collections no longer free it
 * with the rest of its request: each scavenge copies the request's objects into the old
 * generation, and only full collections free them. On a product page at 1,000 views/s that
 * made Express's scavenges promote 0.3–3 MB each and set its p99 at tens of ms, against 2–3 ms
 * for node:http or Hono serving the same page, and for Express on this server
 * (`npm run bench:gc`; expressjs/express#3806).
 *
 * node:http can build its requests and responses from the server's own classes
 * (`IncomingMessage` and `ServerResponse` options). Here they are constructors whose
 * prototypes are the app's `request` and `response` objects themselves, so the prototype
 * Express sets is the one the object already has: nothing changes, nothing is promoted.
 * The app is not modified. Sub-apps mounted in it still set their own prototype on the
 * requests that enter them.
 *
 * Plain constructors that call node's as functions, not subclasses made with
 * `Reflect.construct`: objects V8 builds for another constructor's `new.target` were
 * promoted too (in a scratch test on the same page, about 0.9 MB per scavenge). node:http's `IncomingMessage` and
 * `ServerResponse` are such callable functions; if a Node version makes them classes,
 * `expressServerClasses` gives node's own and the server behaves as `app.listen`'s.
 */
import { createServer, IncomingMessage, ServerResponse, type Server, type ServerOptions } from 'node:http';
import type { Express } from 'express';

/** The two server options that make node:http build a request and a response as `app`'s. */
export interface ExpressServerClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

/**
 * node:http's `IncomingMessage` and `ServerResponse` options for `app`, to spread into the
 * options of `http.createServer` or `https.createServer` (`createExpressServer` does it for
 * plain HTTP).
 *
 * @example
 * https.createServer({ key, cert, ...expressServerClasses(app) }, app).listen(443);
 */
export function expressServerClasses(app: Express): ExpressServerClasses {
  if (!callable(IncomingMessage) || !callable(ServerResponse)) return { IncomingMessage, ServerResponse };
  function AppRequest(this: IncomingMessage, ...args: ConstructorParameters<typeof IncomingMessage>): void {
    IncomingMessage.apply(this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: ConstructorParameters<typeof ServerResponse>): void {
    ServerResponse.apply(this, args);
  }
  AppResponse.prototype = app.response;
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}

/**
 * An `http.Server` for `app`, what `app.listen` creates, with requests and responses born
 * as the app's (`expressServerClasses`). Call `.listen` on it as on any server.
 *
 * @example
 * const server = createExpressServer(app).listen(3000);
 */
export function createExpressServer(app: Express, options: ServerOptions = {}): Server {
  return createServer({ ...options, ...expressServerClasses(app) }, app);
}

/** Whether `constructor` can be called with a `this` (a function, not a class). */
function callable(constructor: Function): boolean {
  return !Function.prototype.toString.call(constructor).startsWith('class');
}
