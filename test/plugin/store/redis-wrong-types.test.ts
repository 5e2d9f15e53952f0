/**
 * The Redis store when a key under its prefix holds what it never writes there (another
 * program, or a hand-made fix, wrote it): another type (a list where a customer's state or
 * event log should be), a state far larger than any, or decision entries that are not
 * decisions. Redis does not undo a script's earlier writes when a later command of it fails
 * with WRONGTYPE, so these pin that nothing is half-written, that only that customer's calls
 * fail (`STORE_KEY_TYPE`, `STATE_FORMAT`, `STORE_DECISION_FORMAT`), and that the other
 * customers of a group commit are stored.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';
import type { ChurnStore, Decision } from '../../../plugin/store/types.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

const available = hasRedisServer();
if (!available) console.warn('Redis wrong-type tests skipped: redis-server is not on PATH (CI installs it with apt).');

const T0 = Date.UTC(2026, 0, 10);

const order = (customerId: string, id?: string): ChurnEvent => ({ customerId, ts: T0, type: 'order', value: 10, ...(id === undefined ? {} : { id }) });

describe.skipIf(!available)('Redis store keys holding another type (real redis-server)', () => {
  let redis: RunningRedis;
  let raw: ReturnType<typeof createClient>;
  let store: ChurnStore;
  let prefixes = 0;
  let prefix = '';

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = createClient({ url: redis.url });
    await raw.connect();
  });
  afterAll(async () => {
    await raw?.close();
    await redis?.stop();
  });

  /** What the server has sent on all its connections so far (INFO stats). */
  async function networkOutputBytes(): Promise<number> {
    return Number(/total_net_output_bytes:(\d+)/.exec(await raw.info('stats'))![1]);
  }

  async function openStore(): Promise<ChurnStore> {
    prefix = `types${prefixes++}:`;
    store = await openRedisStore({ url: redis.url, keyPrefix: prefix });
    return store;
  }

  it('refuses the batch of a customer whose event log is not a stream, stores the rest of the group, and counts nothing of the refused batch however often it is retried', async () => {
    await openStore();
    try {
      await store.appendEvents([order('poisoned')]);
      await raw.del(`${prefix}events:poisoned`);
      await raw.set(`${prefix}events:poisoned`, 'not a stream');
      // One turn of the event loop: both batches are folded and written by one script.
      const [healthy, poisoned] = await Promise.allSettled([store.appendEvents([order('healthy', 'h1')]), store.appendEvents([order('poisoned')])]);
      expect(healthy.status).toBe('fulfilled');
      expect(poisoned).toMatchObject({ status: 'rejected', reason: { code: 'STORE_KEY_TYPE' } });
      for (let retry = 0; retry < 3; retry++) await expect(store.appendEvents([order('poisoned')])).rejects.toMatchObject({ code: 'STORE_KEY_TYPE' });
      expect((await store.getCustomerState('poisoned'))!.ordersTotal).toBe(1);
      expect((await store.getCustomerState('healthy'))!.ordersTotal).toBe(1);
      expect(await raw.sMembers(`${prefix}event-ids:healthy`)).toEqual(['h1']);
    } finally {
      await store.close();
    }
  });

  it('refuses the batch of a customer whose state is a list, and stores the other customers of its group', async () => {
    await openStore();
    try {
      await raw.rPush(`${prefix}customer:listed`, 'not a state');
      const [healthy, listed] = await Promise.allSettled([store.appendEvents([order('healthy')]), store.appendEvents([order('listed')])]);
      expect(healthy.status).toBe('fulfilled');
      expect(listed).toMatchObject({ status: 'rejected', reason: { code: 'STORE_KEY_TYPE' } });
      expect((await store.getCustomerState('healthy'))!.ordersTotal).toBe(1);
      expect(await raw.lRange(`${prefix}customer:listed`, 0, -1)).toEqual(['not a state']);
      await expect(store.readCustomerView!('listed', T0, 0)).rejects.toMatchObject({ code: 'STORE_KEY_TYPE' });
      expect((await store.readCustomerView!('healthy', T0, 0)).features).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('fails a state larger than any record as that customer\'s STATE_FORMAT, with Redis sending no more than the bound, and stores the other customers of its group', async () => {
    await openStore();
    try {
      const huge = Buffer.alloc(64 * 1024 * 1024, 7);
      await raw.set(`${prefix}customer:huge`, huge);
      const sentBefore = await networkOutputBytes();
      await expect(store.readCustomerView!('huge', T0, 0)).rejects.toMatchObject({ code: 'STATE_FORMAT' });
      const [healthy, oversized] = await Promise.allSettled([store.appendEvents([order('healthy')]), store.appendEvents([order('huge')])]);
      expect(healthy.status).toBe('fulfilled');
      expect(oversized).toMatchObject({ status: 'rejected', reason: { code: 'STATE_FORMAT' } });
      // Two reads of the huge state, each cut at the bound (8 MiB), and the healthy customer's few bytes.
      expect((await networkOutputBytes()) - sentBefore).toBeLessThan(huge.length / 2);
      expect((await raw.get(`${prefix}customer:huge`))!.length).toBe(huge.length);
    } finally {
      await store.close();
    }
  });

  it('takes an empty value for no state: reads find the customer unknown, and an append writes over it', async () => {
    await openStore();
    try {
      await raw.set(`${prefix}customer:emptied`, '');
      expect(await store.getCustomerState('emptied')).toBeNull();
      await store.appendEvents([order('emptied')]);
      expect((await store.getCustomerState('emptied'))!.ordersTotal).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('erases a customer whose event log and decision list hold other types, every key of theirs', async () => {
    await openStore();
    try {
      await store.appendEvents([order('erased'), order('erased')]);
      await raw.del(`${prefix}events:erased`);
      await raw.set(`${prefix}events:erased`, 'not a stream');
      await raw.hSet(`${prefix}decisions:erased`, 'not', 'a list');
      expect(await store.eraseCustomer!('erased')).toEqual({ state: true, events: 0, decisions: 0, outcomes: 0 });
      expect(await raw.keys(`${prefix}*erased*`)).toEqual([]);
      expect(await store.countCustomers()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('fails the reads of a customer whose decision list holds entries that are not decisions as STORE_DECISION_FORMAT, and reads the others', async () => {
    await openStore();
    try {
      for (const [index, entry] of ['not json', 'null', '"text"', '[1]'].entries()) {
        await raw.rPush(`${prefix}decisions:junk-${index}`, entry);
        await expect(store.readCustomerView!(`junk-${index}`, T0, 0)).rejects.toMatchObject({ code: 'STORE_DECISION_FORMAT' });
      }
      expect(await store.readCustomerView!('no-decisions', T0, 0)).toEqual({ features: null, decisions: [] });
    } finally {
      await store.close();
    }
  });

  it('fails the decision write of a customer whose decision list holds an entry that is not a decision as STORE_DECISION_FORMAT, charging nothing', async () => {
    await openStore();
    try {
      await raw.rPush(`${prefix}decisions:junk`, 'not json');
      const decision: Decision = {
        customerId: 'junk', ts: T0, day: '2026-01-10', modelVersion: 'test-1', probability: 0.6, customerValue: 100,
        group: 'treatment', action: 'coupon', cost: 5, expectedValues: { coupon: 4.1, none: 0 }, skipped: {}, explanation: '',
      };
      const limits = { cooldownAfter: T0 - 86_400_000, capSince: T0 - 30 * 86_400_000, maxPerCustomer: 2 };
      await expect(store.recordDecision(decision, 100, limits)).rejects.toMatchObject({ code: 'STORE_DECISION_FORMAT' });
      expect(await store.spent('2026-01-10')).toBe(0);
      expect(await raw.lLen(`${prefix}decisions:junk`)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('charges nothing to the day\'s budget for a decision whose customer\'s decision list is not a list', async () => {
    await openStore();
    try {
      await raw.set(`${prefix}decisions:listless`, 'not a list');
      const decision: Decision = {
        customerId: 'listless', ts: T0, day: '2026-01-10', modelVersion: 'test-1', probability: 0.6, customerValue: 100,
        group: 'treatment', action: 'coupon', cost: 5, expectedValues: { coupon: 4.1, none: 0 }, skipped: {}, explanation: '',
      };
      await expect(store.recordDecision(decision, 100)).rejects.toMatchObject({ code: 'STORE_KEY_TYPE' });
      expect(await store.spent('2026-01-10')).toBe(0);
      expect(await store.decisionSummary()).toEqual([]);
      await expect(store.recordDecision({ ...decision, customerId: 'listed-fine' }, 100)).resolves.toBe(true);
      expect(await store.spent('2026-01-10')).toBe(5);
    } finally {
      await store.close();
    }
  });
});
