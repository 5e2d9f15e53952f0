/**
 * The paced load bench:http's lock-stall row drives: requests spread evenly over the run (not
 * sent in a burst), and a stall counted for every request it holds back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedLoad } from '../../bench/paced-load.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server answering 204, blocking its (and this process's) event loop for `stallMs` at the `stallAt`-th request. */
async function listen(arrivals: number[], stall?: { at: number; ms: number }): Promise<string> {
  server = createServer((_req, res) => {
    arrivals.push(performance.now());
    if (stall && arrivals.length === stall.at) {
      const until = performance.now() + stall.ms;
      while (performance.now() < until);
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((ready) => server!.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('pacedLoad', () => {
  it('sends rate × seconds requests spread over the run, not back to back at its start', async () => {
    const arrivals: number[] = [];
    const origin = await listen(arrivals);
    const result = await pacedLoad({ origin, rate: 200, seconds: 1, connections: 10, request: () => ({ method: 'GET', path: '/' }) });
    expect(result).toMatchObject({ sent: 200, ok: 200, failed: 0 });
    // The last request is due 995 ms after the first; a pacer can only be late, never early.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(900);
    // Each tenth of the run gets its share (20), not the first tenth all of them.
    const firstTenth = arrivals.filter((at) => at - arrivals[0]! < 100).length;
    expect(firstTenth).toBeLessThan(100);
  });

  it('counts latency from when a request was due, so a stall counts for every request behind it', async () => {
    const origin = await listen([], { at: 50, ms: 300 });
    const result = await pacedLoad({ origin, rate: 200, seconds: 1, connections: 10, request: () => ({ method: 'GET', path: '/' }) });
    expect(result).toMatchObject({ sent: 200, ok: 200 });
    // About 60 requests (30 %) were due during the 300 ms stall: measured from when each was
    // sent, only the stalled one would be slow and the 90th percentile would be near zero.
    expect(result.latencyMs.p90).toBeGreaterThanOrEqual(50);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(250);
  });
});
