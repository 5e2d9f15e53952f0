/**
 * Rules of the key-value store (memory, Workers KV, Durable Object: one implementation) that a
 * mutation audit found no test guarding. Run over the in-memory backend, as memoryStore() is.
 */
import { describe, expect, it } from 'vitest';
import { keyValueStore } from '../../../plugin/store/key-value/key-value-store.js';
import { mapBackend } from '../../../plugin/store/memory-store.js';
import { decision } from './store-behaviour.js';

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
