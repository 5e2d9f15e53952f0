/**
 * Rules of the key-value store (memory, Workers KV, Durable Object: one implementation) that a
 * mutation audit found no test guarding. Run over the in-memory backend, as memoryStore() is.
 */
import { describe, expect, it } from 'vitest';
import { DECISION_LIST_CHARS, keyValueStore } from '../../../plugin/store/key-value/key-value-store.js';
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

describe('erasing from a key-value store written before outcomes named their customer', () => {
  it("erases an outcome by its key read with the outcome's own action, whatever ':'s action and id hold", async () => {
    // As an earlier version wrote them: the arm and the answer, nobody's id in the value.
    const data = new Map<string, string>([
      ['outcome:email:welcome:treatment:bob', JSON.stringify({ action: 'email:welcome', group: 'treatment', retained: true })],
      ['outcome:email:holdout:treatment:bob', JSON.stringify({ action: 'email', group: 'holdout', retained: false })],
    ]);
    const store = keyValueStore(mapBackend(data));
    expect(await store.eraseCustomer('bob')).toMatchObject({ outcomes: 1 });
    expect([...data.keys()]).toEqual(['outcome:email:holdout:treatment:bob']);
    expect(await store.eraseCustomer('treatment:bob')).toMatchObject({ outcomes: 1 });
    expect(data.size).toBe(0);
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

describe("a key-value store's decision list", () => {
  it('keeps the newest decisions of a customer that fit its bound, and still counts every one against the budget', async () => {
    const data = new Map<string, string>();
    const store = keyValueStore(mapBackend(data));
    // A policy without a cooldown decides on every view: one shopper reloading a page.
    const views = Array.from({ length: 600 }, (_, i) => decision({ customerId: 'reloader', ts: T0 + i, cost: 1, explanation: `view ${i}` }));
    for (const view of views) await store.recordDecision(view, Infinity);
    expect(data.get('decisions:reloader')!.length).toBeLessThanOrEqual(DECISION_LIST_CHARS);
    const kept = await store.decisionsSince('reloader', 0);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(views.slice(-kept.length));
    expect(await store.spent('2026-01-10')).toBe(600);
    // A decision larger than the bound by itself is still the customer's latest.
    const large = decision({ customerId: 'reloader', ts: T0 + 1_000, explanation: 'x'.repeat(DECISION_LIST_CHARS) });
    await store.recordDecision(large, Infinity);
    expect(await store.decisionsSince('reloader', 0)).toEqual([large]);
  });
});
