/**
 * Rules of the key-value store (memory, Workers KV, Durable Object: one implementation) that a
 * mutation audit found no test guarding. Run over the in-memory backend, as memoryStore() is.
 */
import { describe, expect, it } from 'vitest';
import { keyValueStore } from '../../../plugin/store/key-value/key-value-store.js';
import { mapBackend } from '../../../plugin/store/memory-store.js';
import { decision, sampleEvents } from './store-behaviour.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

describe('key-value store rules', () => {
  it('attributes an outcome to the decision recorded last when two share the latest timestamp', async () => {
    const store = keyValueStore(mapBackend(new Map()));
    // Two decisions in the same millisecond: the one logged later is the customer's latest, as in SQLite and Redis.
    await store.recordDecision(decision({ customerId: 'same-ms', action: 'care', cost: 1 }), Infinity);
    await store.recordDecision(decision({ customerId: 'same-ms', action: 'coupon' }), Infinity);
    await store.recordOutcome({ customerId: 'same-ms', ts: T0 + DAY_MS, retained: true });
    expect(await store.outcomeReport()).toEqual([{ action: 'coupon', group: 'treatment', customers: 1, retained: 1 }]);
  });
});

describe('a key-value batch whose write fails for one customer', () => {
  it("fails only once the other customers' writes have finished, not while they are still landing", async () => {
    const data = new Map<string, string>();
    const backend = mapBackend(data);
    let releaseSlowWrite!: () => void;
    const slowWrite = new Promise<void>((resolve) => (releaseSlowWrite = resolve));
    const store = keyValueStore({
      ...backend,
      // One customer's key is refused at once (as KV refuses a key written too often); another's write is slow.
      put: async (key, value) => {
        if (key === 'customer:refused') throw new Error('KV PUT failed: 429 Too Many Requests');
        if (key === 'customer:slow') await slowWrite;
        return backend.put(key, value);
      },
    });
    let settled = false;
    const append = store.appendEvents([...sampleEvents('slow'), ...sampleEvents('refused')]).finally(() => (settled = true));
    append.catch(() => undefined);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    // Answered now, the events route would say "not stored" while the slow customer's events are about to be.
    expect(settled).toBe(false);
    releaseSlowWrite();
    await expect(append).rejects.toThrow('429');
    expect(data.has('customer:slow')).toBe(true);
  });
});
