/**
 * The same request sent to both adapters over one serving core: the Express router (through
 * supertest) and the fetch handler (a web-standard `Request`). Tests that must hold for every
 * adapter where a route exists loop over `bothAdapters()`; the parity test compares them, and
 * the Hono middleware's API too (`viaHono`), mounted in a Hono app as docs/edge.md mounts it.
 */
import { Hono } from 'hono';
import express from 'express';
import request from 'supertest';
import { churn, type ChurnOptions, type ChurnPlugin } from '../../plugin/express/index.js';
import { churnHandler, type ChurnHandler, type ChurnHandlerOptions } from '../../plugin/fetch/index.js';
import type { HonoChurn } from '../../plugin/hono/index.js';
import { memoryStore } from '../../plugin/store/memory-store.js';

export interface Sent {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  path: string;
  /** A JSON value (sent as `application/json` unless `contentType` says otherwise), or raw text or bytes sent as they are. */
  body?: unknown;
  /** The Content-Type header; null sends none. Default `application/json` when there is a body. */
  contentType?: string | null;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
  text: string;
}

export interface Adapter {
  name: 'Express' | 'fetch' | 'Hono';
  send(sent: Sent): Promise<Answer>;
}

/** The raw bytes a `Sent` puts on the wire, and its content type. */
function wire(sent: Sent): { bytes: Uint8Array | undefined; contentType: string | null } {
  const bytes =
    sent.body === undefined ? undefined : sent.body instanceof Uint8Array ? sent.body : new TextEncoder().encode(typeof sent.body === 'string' ? sent.body : JSON.stringify(sent.body));
  const contentType = sent.contentType !== undefined ? sent.contentType : bytes === undefined ? null : 'application/json';
  return { bytes, contentType };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends to an Express app with supertest; `base` is where the router is mounted. */
export function viaExpress(app: express.Express): Adapter {
  return {
    name: 'Express',
    async send(sent) {
      const { bytes, contentType } = wire(sent);
      let call = request(app)[sent.method.toLowerCase() as 'get'](sent.path);
      for (const [name, value] of Object.entries(sent.headers ?? {})) call = call.set(name, value);
      if (contentType !== null) call = call.set('content-type', contentType);
      // As a Buffer, which superagent would otherwise serialise as JSON under a JSON content
      // type: sent as it is, and with no content type of superagent's own.
      if (bytes !== undefined) call = call.serialize((data: unknown) => data as string).send(Buffer.from(bytes));
      const response = await call.buffer(true).parse((res, done) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => done(null, raw));
      });
      const raw = String(response.body ?? '');
      return { status: response.status, headers: response.headers as Record<string, string>, body: parsed(raw), text: raw };
    },
  };
}

/** Sends to a fetch handler as a web-standard `Request`. */
export function viaFetch(handler: Pick<ChurnHandler, 'fetch'>): Adapter {
  return {
    name: 'fetch',
    async send(sent) {
      const { bytes, contentType } = wire(sent);
      const requestHeaders = new Headers(sent.headers);
      if (contentType !== null) requestHeaders.set('content-type', contentType);
      // Bytes rather than a string, so the Request adds no text/plain of its own.
      const init: RequestInit = { method: sent.method, headers: requestHeaders, ...(bytes === undefined ? {} : { body: bytes as Uint8Array<ArrayBuffer> }) };
      const response = await handler.fetch(new Request(`http://shop.test${sent.path}`, init));
      const raw = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      return { status: response.status, headers, body: parsed(raw), text: raw };
    },
  };
}

/** Sends to a Hono app that serves `churnkit`'s API at `/churn/*`, as docs/edge.md mounts it. */
export function viaHono(churnkit: Pick<HonoChurn, 'fetch'>): Adapter {
  const app = new Hono();
  app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
  return { ...viaFetch({ fetch: async (request) => app.fetch(request) }), name: 'Hono' };
}

export interface BothAdapters {
  express: Adapter & { plugin: ChurnPlugin };
  fetch: Adapter & { handler: ChurnHandler };
  all: Adapter[];
}

/** Options both adapters take (the fetch handler's, whose hooks are not used by these tests). */
export type SharedOptions = Omit<ChurnHandlerOptions, 'store' | 'identify' | 'features'>;

/**
 * An Express router at `/churn` and a fetch handler with the same options, each on its own
 * store (a fresh memory store unless `storeFor` gives one); `expressOnly` adds the options
 * only the Express plugin has (admin token, saved models).
 */
export async function bothAdapters(
  shared: SharedOptions,
  extra: { expressOnly?: Partial<ChurnOptions>; storeFor?: (adapter: 'Express' | 'fetch') => NonNullable<ChurnOptions['store']> } = {},
): Promise<BothAdapters> {
  const storeFor = extra.storeFor ?? (() => memoryStore());
  const plugin = churn({ ...(shared as Partial<ChurnOptions>), identify: () => null, ...extra.expressOnly, store: storeFor('Express') } as ChurnOptions);
  const handler = churnHandler({ ...shared, store: storeFor('fetch') });
  await Promise.all([plugin.ready(), handler.ready()]);
  const app = express();
  app.use('/churn', plugin.router());
  const expressAdapter = Object.assign(viaExpress(app), { plugin });
  const fetchAdapter = Object.assign(viaFetch(handler), { handler });
  return { express: expressAdapter, fetch: fetchAdapter, all: [expressAdapter, fetchAdapter] };
}
