/**
 * An open-loop load at a fixed rate, evenly paced: request i is due at i / rate seconds
 * from the start, whatever the server answers, and its latency is counted from when it was
 * due (as wrk2 does), so a stall that holds back the requests behind it counts for each of
 * them, once. undici keeps the connections; a request due while all of them are busy waits
 * in its queue, and that wait is part of its latency, as a shopper's would be.
 *
 * Why not autocannon's `overallRate`: it lets each connection send its share of a second
 * back to back at the start of the second, then idles, so "1,000 views/s" is a burst at
 * saturation every second; and it corrects for coordinated omission with an expected
 * interval of 1 ms (`Math.ceil(1 / rate)`, the rate per connection), so one 20 ms answer
 * adds nineteen made-up samples. Its p99 at a "fixed rate" measured bursts and that
 * correction, not the stalls it was meant to show. loadtest paces evenly but rounds
 * latencies to whole milliseconds and brings dependencies with install scripts.
 */
import { Pool } from 'undici';
import { quantile } from './stats.js';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedLoadOptions {
  /** `http://host:port` of the server. */
  origin: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Connections at most (opened as needed). */
  connections: number;
  /** The request due next, made anew each time. */
  request: () => PacedRequest;
}

export interface PacedLoadResult {
  sent: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Answers with another status, and requests that failed. */
  failed: number;
  /** Latency from when each request was due to its answer, in ms (every answered request). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Answers with a 2xx status per second of the run. */
  okPerSecond: number;
}

/** How often the pacer wakes: requests due since the last wake are sent together. */
const TICK_MS = 1;

/**
 * Runs the load; resolves once every request sent has been answered or has failed.
 *
 * @example
 *   const pages = await pacedLoad({ origin: 'http://127.0.0.1:3000', rate: 1000, seconds: 8, connections: 20,
 *     request: () => ({ method: 'GET', path: '/products/p-100', headers: { 'x-customer-id': pick(ids) } }) });
 *   console.log(pages.latencyMs.p99);
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let ok = 0;
  let failed = 0;
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now();

  const send = (dueAt: number): Promise<void> => {
    const { method, path, headers, body } = options.request();
    return pool.request({ method, path, headers, body }).then(
      async (answer) => {
        await answer.body.dump();
        latencies.push(performance.now() - dueAt);
        if (answer.statusCode >= 200 && answer.statusCode < 300) ok++;
        else failed++;
      },
      () => {
        failed++;
      },
    );
  };

  let sent = 0;
  await new Promise<void>((done) => {
    const wake = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        pending.push(send(start + sent * intervalMs));
        sent++;
      }
      if (sent < total) setTimeout(wake, TICK_MS);
      else done();
    };
    wake();
  });
  await Promise.all(pending);
  const elapsedSeconds = (performance.now() - start) / 1000;
  await pool.close();
  return {
    sent,
    ok,
    failed,
    latencyMs: { p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), p99: quantile(latencies, 0.99), max: quantile(latencies, 1) },
    okPerSecond: ok / Math.max(elapsedSeconds, options.seconds),
  };
}
