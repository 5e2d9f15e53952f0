/**
 * The load bench:http drives: autocannon (which ships no types: the part of it these
 * benches use is typed here), and the events it posts.
 */
import { createRequire } from 'node:module';

export interface AutocannonResult {
  duration: number;
  non2xx: number;
  errors: number;
  '2xx': number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
}

export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  /** Requests per second across all connections (0: as fast as the server answers). */
  overallRate?: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}

export const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

/** Requests served per second over a run (autocannon's per-second average needs whole seconds). */
export function requestsPerSecond(result: AutocannonResult): number {
  return result.requests.total / result.duration;
}

export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** JSON POSTs to `path`, each body made anew. */
export function postLoad(
  port: number,
  path: string,
  seconds: number,
  body: () => unknown,
  options: { connections: number; overallRate?: number },
): Promise<AutocannonResult> {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: seconds,
    // autocannon refuses an explicit 0: unset means "as fast as the server answers".
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body()),
        }),
      },
    ],
  });
}

/** A storefront event of a random stored customer, as a client would post it (with an id). */
export function randomEvent(customerIds: readonly string[]): Record<string, unknown> {
  const type = pick(['page_view', 'page_view', 'page_view', 'search', 'add_to_cart', 'order']);
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return type === 'order'
    ? { customerId: pick(customerIds), id, type, value: Math.round(Math.random() * 20_000) / 100, quantity: 1, channel: 'web' }
    : { customerId: pick(customerIds), id, type, category: 'electronics', channel: 'web' };
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
export const round2 = (value: number) => Math.round(value * 100) / 100;
