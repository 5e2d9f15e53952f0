import { describe, expect, it } from 'vitest';
import { REMEMBERED_EVENT_IDS, keyValueStore } from '../../../plugin/store/key-value/key-value-store.js';
import { mapBackend, memoryStore } from '../../../plugin/store/memory-store.js';
import { DAY, EMPTY_CART_COUPON, issuedActions, NOW, testStorefront, viewAtOnceFromCache } from '../plugin-app.js';
import { describeStoreBehaviour, sampleEvents } from './store-behaviour.js';

// memoryStore() is exactly this over a fresh Map; a second store over the same map stands
// for "the next instance over the same data", as a second connection to a database would.
const dataOf = new WeakMap<object, Map<string, string>>();

describeStoreBehaviour('in-memory', {
  keepsDecisionLog: false,
  decisionsAtomicAcrossObjects: false,
  async open() {
    const data = new Map<string, string>();
    const store = keyValueStore(mapBackend(data));
    dataOf.set(store, data);
    return store;
  },
  async reopen(first) {
    return keyValueStore(mapBackend(dataOf.get(first)!));
  },
});

describe('the key-value stores remember the newest event ids of each customer', () => {
  it(`skips a retry among the newest ${REMEMBERED_EVENT_IDS} ids, and keeps no more of them than that`, async () => {
    const data = new Map<string, string>();
    const store = keyValueStore(mapBackend(data));
    const [view] = sampleEvents('busy').filter((event) => event.type === 'page_view');
    const events = Array.from({ length: REMEMBERED_EVENT_IDS + 10 }, (_, i) => ({ ...view!, ts: view!.ts + i, id: `v${i}` }));
    await store.appendEvents(events.slice(0, 10));
    await store.appendEvents(events.slice(10));
    expect((await store.getCustomerState('busy'))!.pageViewsTotal).toBe(events.length);
    // A retry of the newest events is skipped; the oldest ids were let go, so their retry counts again.
    await store.appendEvents(events.slice(-5));
    expect((await store.getCustomerState('busy'))!.pageViewsTotal).toBe(events.length);
    await store.appendEvents(events.slice(0, 1));
    expect((await store.getCustomerState('busy'))!.pageViewsTotal).toBe(events.length + 1);
    expect(JSON.parse(data.get('eventids:busy')!)).toHaveLength(REMEMBERED_EVENT_IDS);
  });
});

describe('two plugins sharing one memory store', () => {
  it('issue one coupon between them when both decide for the same customer at once, each on its cached history', async () => {
    const store = memoryStore();
    const options = { store, holdoutFraction: 0, policy: { actions: [EMPTY_CART_COUPON] } };
    const instances = [await testStorefront(options), await testStorefront(options)];
    try {
      await store.appendEvents([{ customerId: 'm1', ts: NOW - 300 * DAY, type: 'order', value: 40 }]);
      const served = await viewAtOnceFromCache(instances, 'm1');
      expect(issuedActions(served)).toEqual(['coupon', null]);
      expect(await store.decisionsSince('m1', 0)).toHaveLength(1);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});
