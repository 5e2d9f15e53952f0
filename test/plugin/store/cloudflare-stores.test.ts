/**
 * The Workers KV and Durable Object stores against the shared behaviour suite, on real
 * workerd bindings (miniflare's KV namespace and SQLite-backed Durable Object, reached
 * from this test through miniflare's binding proxies).
 *
 * What the suite cannot show for KV, and docs/edge.md states: miniflare's KV is local and
 * immediately consistent, where Cloudflare's propagates writes in up to ~60 s and accepts
 * about one write per second per key; and the suite's races run inside one store object,
 * where the store serialises them (KeyedLock). Two isolates racing on one KV namespace get
 * no such guarantee. Through the Durable Object, every client's calls meet in one object,
 * so the suite's atomicity holds for all of them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableObjectStore, kvStore, type DurableObjectNamespaceBinding, type KvNamespaceBinding } from '../../../plugin/store/cloudflare/index.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { REPO } from '../edge/example-project.js';
import { bundleWorker, startWorker, type RunningWorker } from '../edge/worker-runtime.js';
import { ChurnkitError, OptionsError } from '../../../src/errors.js';
import { decision, describeStoreBehaviour, sampleEvents } from './store-behaviour.js';

let worker: RunningWorker;
let kv: KvNamespaceBinding;
let objects: DurableObjectNamespaceBinding;

beforeAll(async () => {
  worker = await startWorker(await bundleWorker(join(REPO, 'test', 'plugin', 'edge', 'store-worker.ts')), {
    kvNamespaces: ['CHURN_KV'],
    durableObjects: { CHURN_STATE: { className: 'ChurnStoreObject', useSQLite: true } },
  });
  kv = (await worker.miniflare.getKVNamespace('CHURN_KV')) as unknown as KvNamespaceBinding;
  objects = (await worker.miniflare.getDurableObjectNamespace('CHURN_STATE')) as unknown as DurableObjectNamespaceBinding;
});
afterAll(async () => worker.stop());

let opened = 0;
const nameOf = new WeakMap<ChurnStore, string>();

describeStoreBehaviour('Workers KV', {
  keepsDecisionLog: false,
  decisionsAtomicAcrossObjects: false,
  async open() {
    const keyPrefix = `store-${opened++}:`;
    const store = kvStore(kv, { keyPrefix });
    nameOf.set(store, keyPrefix);
    return store;
  },
  async reopen(first) {
    return kvStore(kv, { keyPrefix: nameOf.get(first)! });
  },
});

describeStoreBehaviour('Durable Object', {
  keepsDecisionLog: false,
  async open() {
    const name = `store-${opened++}`;
    const store = durableObjectStore(objects, { name });
    nameOf.set(store, name);
    return store;
  },
  async reopen(first) {
    return durableObjectStore(objects, { name: nameOf.get(first)! });
  },
});

describe('the Durable Object store across clients', () => {
  it('never overspends when decisions from several isolates race for the last of the budget', async () => {
    // Three store objects, as three Worker isolates would each hold one, over one object.
    const clients = [0, 1, 2].map(() => durableObjectStore(objects, { name: 'shared-budget' }));
    const results = await Promise.all(
      Array.from({ length: 18 }, (_, i) => clients[i % 3]!.recordDecision(decision({ customerId: `r${i}`, cost: 1 }), 5)),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await clients[0]!.spent('2026-01-10')).toBe(5);
  });

  it('logs an action once when several isolates decide it for the same customer at once, whatever each had cached', async () => {
    const clients = [0, 1, 2].map(() => durableObjectStore(objects, { name: 'shared-cooldown' }));
    const T0 = decision().ts;
    const limits = { cooldownAfter: T0 - 86_400_000, capSince: T0 - 30 * 86_400_000, maxPerCustomer: Infinity };
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => clients[i % 3]!.recordDecision(decision(), 100, limits)));
    expect(answers.filter((answer) => answer === true)).toHaveLength(1);
    expect(answers.filter((answer) => answer === 'cooldown')).toHaveLength(8);
    expect(await clients[0]!.decisionsSince('c1', 0)).toHaveLength(1);
  });
});

describe('the Workers KV store and its 512-byte keys', () => {
  // 200 characters is a valid id, but 200 "€" are 600 bytes of UTF-8: no KV key can hold it.
  const tooLong = '€'.repeat(200);

  it('refuses a batch naming a customer whose keys would pass the limit before writing any of it', async () => {
    const store = kvStore(kv, { keyPrefix: 'long-ids:' });
    const refused = await store.appendEvents([...sampleEvents('fits'), ...sampleEvents(tooLong)]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChurnkitError);
    expect(refused).toMatchObject({ code: 'STORE_KEY_TOO_LONG', message: expect.stringMatching(/600 bytes of UTF-8, more than the 444 .*Workers KV keys hold 512 bytes.*nothing was stored/) });
    // Nothing of the batch: a retry is not counted twice for the customer who fitted.
    expect(await store.getCustomerState('fits')).toBeNull();
    await expect(store.recordDecision(decision({ customerId: tooLong }), 100)).rejects.toMatchObject({ code: 'STORE_KEY_TOO_LONG' });
    expect(await store.spent('2026-01-10')).toBe(0);
    // Reads say "nothing stored" (nothing can be), rather than failing on KV's refusal.
    expect(await store.getCustomerState(tooLong)).toBeNull();
    expect(await store.decisionsSince(tooLong, 0)).toEqual([]);
    // The longest ids that fit are kept whole.
    const fits = '€'.repeat(148);
    await store.appendEvents(sampleEvents(fits));
    expect((await store.getCustomerState(fits))!.eventsTotal).toBe(sampleEvents(fits).length);
  });
});

describe('the Workers KV store\'s key prefix', () => {
  it('takes a prefix of at most 128 bytes of UTF-8, leaving KV\'s 512-byte keys room for ids', () => {
    expect(() => kvStore(kv, { keyPrefix: 'é'.repeat(65) })).toThrow(
      expect.objectContaining({ code: 'STORE_KEY_PREFIX', message: expect.stringMatching(/at most 128 bytes of UTF-8 .* got 130 bytes/) }),
    );
    expect(() => kvStore(kv, { keyPrefix: 7 as unknown as string })).toThrow(OptionsError);
    expect(() => kvStore(kv, { keyPrefix: 'é'.repeat(64) })).not.toThrow();
  });
});
