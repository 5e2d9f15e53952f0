/**
 * The Redis store on a server that stops answering but keeps its connections (SIGSTOP: a
 * wedged, swapped-out or debugged Redis). node-redis sees no error then, so nothing but the
 * store's bounds stops the commands waiting for replies, and the appends waiting behind
 * them, from piling up in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PENDING_COMMANDS, MAX_WAITING_EVENTS, openRedisStore } from '../../../plugin/store/redis-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

const available = hasRedisServer();
if (!available) console.warn('Paused Redis tests skipped: redis-server is not on PATH (CI installs it with apt).');

const T0 = Date.UTC(2026, 0, 10);

/** Far longer than a refusal takes; a call still pending then is waiting for the server. */
const HANG_MS = 2_000;

/** Well past the store's 5 s wait for a first answer. */
const OPEN_HANG_MS = 15_000;

function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ settled: true; error: unknown } | { settled: false }> {
  return Promise.race([
    promise.then(
      () => ({ settled: true as const, error: undefined }),
      (error: unknown) => ({ settled: true as const, error }),
    ),
    new Promise<{ settled: false }>((resolve) => setTimeout(() => resolve({ settled: false }), ms)),
  ]);
}

describe.skipIf(!available)('the Redis store on a paused server (real redis-server, SIGSTOP)', () => {
  let redis: RunningRedis;
  let store: ChurnStore;

  beforeAll(async () => {
    redis = await startRedisServer();
    store = await openRedisStore({ url: redis.url, keyPrefix: 'paused:' });
  });
  afterAll(async () => {
    redis?.resume();
    await store?.close().catch(() => undefined);
    await redis?.stop();
  });

  it(`refuses calls at once (STORE_BUSY) once ${MAX_PENDING_COMMANDS} commands await its replies, sending nothing of them, and answers the waiting ones when it resumes`, async () => {
    await store.appendEvents([{ customerId: 'known', ts: T0, type: 'order', value: 10 }]);
    redis.pause();
    const waiting = Array.from({ length: MAX_PENDING_COMMANDS }, (_, index) => store.getCustomerState(index === 0 ? 'known' : `unknown-${index}`));
    const read = await settledWithin(store.getCustomerState('known'), HANG_MS);
    expect(read).toMatchObject({ settled: true, error: { code: 'STORE_BUSY' } });
    const append = await settledWithin(store.appendEvents([{ customerId: 'refused', id: 'r1', ts: T0, type: 'order', value: 10 }]), HANG_MS);
    expect(append).toMatchObject({ settled: true, error: { code: 'STORE_BUSY' } });

    redis.resume();
    const states = await Promise.all(waiting);
    expect(states[0]!.ordersTotal).toBe(1);
    expect(states.slice(1).every((state) => state === null)).toBe(true);
    expect(await store.getCustomerState('refused')).toBeNull();
    await store.appendEvents([{ customerId: 'refused', id: 'r1', ts: T0, type: 'order', value: 10 }]);
    expect((await store.getCustomerState('refused'))!.ordersTotal).toBe(1);
  });

  it('refuses to open on a server that accepts the connection and never answers (STORE_CONNECT), instead of waiting for it', async () => {
    redis.pause();
    try {
      // node-redis's own connect never settles there; the store gives up after 5 s.
      const opened = await settledWithin(openRedisStore({ url: redis.url, keyPrefix: 'paused-open:' }), OPEN_HANG_MS);
      expect(opened).toMatchObject({ settled: true, error: { code: 'STORE_CONNECT', message: expect.stringContaining('did not answer') } });
    } finally {
      redis.resume();
    }
  });

  it(`refuses appends at once (STORE_BUSY) once ${MAX_WAITING_EVENTS} events wait behind a group commit the server does not answer`, async () => {
    redis.pause();
    const first = store.appendEvents([{ customerId: 'queued', id: 'q1', ts: T0, type: 'order', value: 10 }]);
    // One id for all of them: the fold keeps one, so the commit after the pause stays small.
    const behind = store.appendEvents(Array.from({ length: MAX_WAITING_EVENTS - 1 }, () => ({ customerId: 'queued', id: 'q2', ts: T0, type: 'page_view' })));
    const refused = await settledWithin(store.appendEvents([{ customerId: 'queued', id: 'q3', ts: T0, type: 'order', value: 10 }]), HANG_MS);
    expect(refused).toMatchObject({ settled: true, error: { code: 'STORE_BUSY' } });

    redis.resume();
    await Promise.all([first, behind]);
    const state = (await store.getCustomerState('queued'))!;
    expect(state.ordersTotal).toBe(1);
    expect(state.eventsTotal).toBe(2);
    await store.appendEvents([{ customerId: 'queued', id: 'q3', ts: T0, type: 'order', value: 10 }]);
    expect((await store.getCustomerState('queued'))!.ordersTotal).toBe(2);
  });
});
