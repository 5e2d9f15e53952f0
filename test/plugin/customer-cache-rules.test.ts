/**
 * The rules of the customer cache (`cacheCustomerReads`) on their own, over the in-memory
 * store: what it must see at once, what it may serve late and for how long, how many
 * customers it keeps, and which reads it must not keep.
 */
import { describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../src/events/types.js';
import { cacheCustomerReads } from '../../plugin/store/customer-cache.js';
import { keyValueStore } from '../../plugin/store/key-value/key-value-store.js';
import { mapBackend, memoryStore } from '../../plugin/store/memory-store.js';
import type { ChurnStore, Decision } from '../../plugin/store/types.js';
import { DAY, NOW } from './plugin-app.js';

const TTL = 1000;

/** A logged decision for `customerId` at `ts` (no cost: the budget never refuses it). */
function decision(customerId: string, ts: number, action: string | null = 'coupon'): Decision {
  return {
    customerId,
    ts,
    day: new Date(ts).toISOString().slice(0, 10),
    modelVersion: 'test-v1',
    probability: 0.6,
    customerValue: 100,
    group: 'treatment',
    action,
    cost: 0,
    expectedValues: { none: 0 },
    skipped: {},
    explanation: 'coupon: EV 1.00 > none',
  };
}

const order = (customerId: string, ts = NOW - 300 * DAY): ChurnEvent => ({ customerId, ts, type: 'order', value: 40 });

/** `store` with its calls to `method` counted (everything else as it is). */
function counted(store: ChurnStore, method: 'decisionsSince' | 'getCustomerState'): { store: ChurnStore; calls: number } {
  const counter = { store, calls: 0 };
  const original = (store[method] as (...args: unknown[]) => unknown).bind(store);
  counter.store = Object.assign(Object.create(store) as ChurnStore, {
    [method]: (...args: unknown[]) => {
      counter.calls++;
      return original(...args);
    },
  });
  return counter;
}

/**
 * `store` with its `method` read gated: the read is taken at once (before a write that
 * follows lands), and answers only once `release()` is called; `taken` resolves when it was.
 */
function gatedRead<M extends 'decisionsSince' | 'getCustomerState'>(store: ChurnStore, method: M): { store: ChurnStore; taken: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let markTaken!: () => void;
  const taken = new Promise<void>((resolve) => (markTaken = resolve));
  const original = (store[method] as (...args: unknown[]) => Promise<unknown>).bind(store);
  const gated = Object.assign(Object.create(store) as ChurnStore, {
    [method]: async (...args: unknown[]) => {
      const answer = await original(...args);
      markTaken();
      await gate;
      return answer;
    },
  });
  return { store: gated, taken, release };
}

const actions = (decisions: readonly Decision[]) => decisions.map((d) => [d.ts, d.action]);

describe('cached decisions', () => {
  it("include a decision this process recorded after they were read, within cacheTtlMs (or the same action could be issued twice)", async () => {
    const clock = { now: NOW };
    const cache = cacheCustomerReads(memoryStore(), { ttlMs: TTL, clock: () => clock.now });
    expect(await cache.decisionsSince('c1', NOW - DAY)).toEqual([]);
    expect(await cache.recordDecision(decision('c1', NOW), 100)).toBe(true);
    clock.now = NOW + TTL - 1; // still served from memory: the write must have been added there
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW, 'coupon']]);
  });

  it('answer an earlier sinceTs from the store, not with the subset read for a later one', async () => {
    const data = new Map<string, string>();
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - 20 * DAY), 100);
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - DAY), 100);
    const cache = cacheCustomerReads(keyValueStore(mapBackend(data)), { ttlMs: TTL, clock: () => NOW });
    expect(actions(await cache.decisionsSince('c1', NOW - 7 * DAY))).toEqual([[NOW - DAY, 'coupon']]);
    expect(actions(await cache.decisionsSince('c1', NOW - 30 * DAY))).toEqual([
      [NOW - 20 * DAY, 'coupon'],
      [NOW - DAY, 'coupon'],
    ]);
  });

  it('serve the same or a later sinceTs from memory, including a decision made exactly at sinceTs', async () => {
    const data = new Map<string, string>();
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - 2 * DAY), 100);
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - DAY, null), 100);
    const reads = counted(keyValueStore(mapBackend(data)), 'decisionsSince');
    const cache = cacheCustomerReads(reads.store, { ttlMs: TTL, clock: () => NOW });
    const window = NOW - 7 * DAY;
    expect(actions(await cache.decisionsSince('c1', window))).toHaveLength(2);
    expect(actions(await cache.decisionsSince('c1', window))).toHaveLength(2);
    // The cooldown window starts at sinceTs inclusive, as the store's own query does.
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW - DAY, null]]);
    expect(reads.calls).toBe(1);
  });

  it('are not kept from a read that overlapped a decision this process recorded (the read may miss it)', async () => {
    const { store: gated, taken, release } = gatedRead(memoryStore(), 'decisionsSince');
    const cache = cacheCustomerReads(gated, { ttlMs: TTL, clock: () => NOW });
    const read = cache.decisionsSince('c1', NOW - DAY);
    await taken;
    expect(await cache.recordDecision(decision('c1', NOW), 100)).toBe(true);
    release();
    expect(await read).toEqual([]);
    // Still within cacheTtlMs: a kept empty list would hide the coupon just issued.
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW, 'coupon']]);
  });

  it("show another instance's decisions once cacheTtlMs of the clock has passed (the staleness bound)", async () => {
    const data = new Map<string, string>();
    const clock = { now: NOW };
    const cache = cacheCustomerReads(keyValueStore(mapBackend(data)), { ttlMs: TTL, clock: () => clock.now });
    const otherInstance = keyValueStore(mapBackend(data));
    expect(await cache.decisionsSince('c1', NOW - DAY)).toEqual([]);
    await otherInstance.recordDecision(decision('c1', NOW), 100);
    clock.now = NOW + TTL - 1;
    expect(await cache.decisionsSince('c1', NOW - DAY)).toEqual([]);
    clock.now = NOW + TTL;
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW, 'coupon']]);
  });
});

describe('a decision the store refuses as logged meanwhile by another instance', () => {
  const limits = { cooldownAfter: NOW - DAY, capSince: NOW - 30 * DAY, maxPerCustomer: Infinity };

  it('drops the history kept for the customer, so the next view reads it from the store; the features stay', async () => {
    const data = new Map<string, string>();
    await keyValueStore(mapBackend(data)).appendEvents([order('c1')]);
    const cache = cacheCustomerReads(keyValueStore(mapBackend(data)), { ttlMs: TTL, clock: () => NOW });
    await cache.readCustomerNow('c1', NOW, NOW - DAY);
    expect(await cache.decisionsSince('c1', NOW - DAY)).toEqual([]);
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - 1), 100);
    expect(await cache.recordDecision(decision('c1', NOW), 100, limits)).toBe('cooldown');
    expect(cache.freshEntry('c1')?.features).not.toBeNull();
    expect(cache.freshEntry('c1')?.history).toBeUndefined();
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW - 1, 'coupon']]);
  });

  it('does not keep a read that overlapped the refusal (it may predate the decision)', async () => {
    const data = new Map<string, string>();
    const { store: gated, taken, release } = gatedRead(keyValueStore(mapBackend(data)), 'decisionsSince');
    const cache = cacheCustomerReads(gated, { ttlMs: TTL, clock: () => NOW });
    const read = cache.decisionsSince('c1', NOW - DAY);
    await taken;
    await keyValueStore(mapBackend(data)).recordDecision(decision('c1', NOW - 1), 100);
    expect(await cache.recordDecision(decision('c1', NOW), 100, limits)).toBe('cooldown');
    release();
    expect(await read).toEqual([]);
    expect(actions(await cache.decisionsSince('c1', NOW - DAY))).toEqual([[NOW - 1, 'coupon']]);
  });
});

describe('the cache bound (maxCustomers)', () => {
  it('drops the oldest customer past maxCustomers, so it is read again', async () => {
    const reads = counted(memoryStore(), 'decisionsSince');
    const cache = cacheCustomerReads(reads.store, { ttlMs: TTL, clock: () => NOW, maxCustomers: 2 });
    for (const id of ['a', 'b', 'c', 'a']) await cache.decisionsSince(id, NOW - DAY);
    expect(reads.calls).toBe(4);
    // c was kept (the bound drops the oldest, not everything).
    await cache.decisionsSince('c', NOW - DAY);
    expect(reads.calls).toBe(4);
  });

  it('keeps at most maxCustomers customers’ features, the oldest going first', async () => {
    const cache = cacheCustomerReads(memoryStore(), { ttlMs: TTL, clock: () => NOW, maxCustomers: 2 });
    for (const id of ['a', 'b', 'c']) await cache.readCustomerNow(id, NOW, Infinity);
    expect(['a', 'b', 'c'].map((id) => cache.freshEntry(id) !== undefined)).toEqual([false, true, true]);
  });
});

describe('cached features', () => {
  it('are frozen when handed out: they are shared by later requests and reach user hooks', async () => {
    const store = memoryStore();
    await store.appendEvents([order('c1')]);
    const cache = cacheCustomerReads(store, { ttlMs: TTL, clock: () => NOW });
    const read = await cache.readCustomerNow('c1', NOW, Infinity);
    expect(read.features).not.toBeNull();
    expect(Object.isFrozen(read.features)).toBe(true);
    expect(cache.freshEntry('c1')?.features).toBe(read.features);
  });

  it('keep the decisions read with them joined by the ones this process records after', async () => {
    const store = memoryStore();
    await store.appendEvents([order('c1')]);
    const cache = cacheCustomerReads(store, { ttlMs: TTL, clock: () => NOW });
    await cache.readCustomerNow('c1', NOW, NOW - DAY);
    expect(cache.freshEntry('c1')?.history).toEqual([]);
    await cache.recordDecision(decision('c1', NOW), 100);
    // Assessing from the cached entry decides on this history: without the coupon, its cooldown is lost.
    expect(cache.freshEntry('c1')?.history).toEqual([{ ts: NOW, action: 'coupon' }]);
  });

  it('are kept without their decisions when a decision this process recorded overlapped the read', async () => {
    const store = memoryStore();
    await store.appendEvents([order('c1')]);
    const { store: gated, taken, release } = gatedRead(store, 'decisionsSince');
    const cache = cacheCustomerReads(gated, { ttlMs: TTL, clock: () => NOW });
    const read = cache.readCustomerNow('c1', NOW, NOW - DAY);
    await taken;
    expect(await cache.recordDecision(decision('c1', NOW), 100)).toBe(true);
    release();
    expect((await read).decisions).toEqual([]);
    // The features still hold; the decisions read with them miss the coupon, so the policy must ask again.
    expect(cache.freshEntry('c1')?.features).not.toBeNull();
    expect(cache.freshEntry('c1')?.history).toBeUndefined();
  });

  it('are not kept from a read that overlapped an append for the customer (it may hold the state from before it)', async () => {
    const store = memoryStore();
    let releaseAppend!: () => void;
    const appendGate = new Promise<void>((resolve) => (releaseAppend = resolve));
    const { store: gatedReads, taken, release } = gatedRead(store, 'getCustomerState');
    const gated = Object.assign(Object.create(gatedReads) as ChurnStore, {
      appendEvents: async (events: readonly ChurnEvent[]) => {
        await appendGate;
        return store.appendEvents(events);
      },
    });
    const cache = cacheCustomerReads(gated, { ttlMs: TTL, clock: () => NOW });
    const append = cache.appendEvents([order('c1')]);
    const read = cache.readCustomerNow('c1', NOW, Infinity);
    await taken;
    releaseAppend();
    await append;
    release();
    // Served as read (the request that made it may use it), but not kept for the next ones.
    expect((await read).features).toBeNull();
    expect(cache.freshEntry('c1')).toBeUndefined();
    expect((await cache.readCustomerNow('c1', NOW, Infinity)).features).not.toBeNull();
  });
});

describe('erasing a customer', () => {
  it('forgets the cached customer as soon as the erasure starts, not only once the store is done', async () => {
    const store = memoryStore();
    await store.appendEvents([order('c1')]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const slowErasure = Object.assign(Object.create(store) as ChurnStore, {
      eraseCustomer: async (customerId: string) => {
        markStarted();
        await gate;
        return store.eraseCustomer!(customerId);
      },
    });
    const cache = cacheCustomerReads(slowErasure, { ttlMs: TTL, clock: () => NOW });
    expect((await cache.readCustomerNow('c1', NOW, NOW - DAY)).features).not.toBeNull();
    expect(cache.freshEntry('c1')).toBeDefined();
    const erasure = cache.eraseCustomer('c1');
    await started;
    // While the store erases, requests must not be answered with the erased customer's features.
    expect(cache.freshEntry('c1')).toBeUndefined();
    release();
    await erasure;
    expect(cache.freshEntry('c1')).toBeUndefined();
    expect((await cache.readCustomerNow('c1', NOW, Infinity)).features).toBeNull();
  });
});
