/**
 * Customer ids as keyed hashes (the `customerIds: { hmacKey }` option): a store wrapped here
 * receives HMAC-SHA256(key, id) in hex wherever it would receive a customer id — events,
 * state reads, decisions, outcomes, erasure — so neither the store nor a copy of it holds a
 * raw customer id, and without the key an id cannot be confirmed by hashing guesses (a plain
 * hash of an e-mail address or a sequential id could). The mapping is the same in every
 * process with the same key, so instances sharing a store agree.
 *
 * What comes back names hashes: `listCustomers` lists hashed ids (dashboards show them); a
 * customer's decisions are given back with the id they were asked for. Web Crypto, so it
 * runs in every runtime; the customer cache sits in front, so a product page seen again
 * computes no hash, and recent ids are remembered (a bounded map) for the rest.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import type { ChurnStore, Decision, Outcome } from './types.js';

/** Ids whose hash is remembered; past it the oldest goes. */
const REMEMBERED = 10_000;

/**
 * `store`, seeing keyed hashes of customer ids.
 *
 * @example
 * const store = keyCustomerIds(memoryStore(), process.env.CHURNKIT_ID_KEY!);
 * await store.appendEvents([{ customerId: 'ada@example.com', ts: Date.now(), type: 'order' }]);
 * // the memory store holds "customer:6f1c…" (64 hex digits), never the address
 */
export function keyCustomerIds(store: ChurnStore, hmacKey: string): ChurnStore {
  const key = globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(hmacKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const remembered = new Map<string, Promise<string>>();
  const keyed = (customerId: string): Promise<string> => {
    let hashed = remembered.get(customerId);
    if (hashed === undefined) {
      hashed = key.then(async (cryptoKey) => hex(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(customerId))));
      if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
      remembered.set(customerId, hashed);
    }
    return hashed;
  };
  const wrapped: ChurnStore = {
    async appendEvents(events: readonly ChurnEvent[]) {
      const hashes = await Promise.all(events.map((event) => keyed(event.customerId)));
      return store.appendEvents(events.map((event, i) => ({ ...event, customerId: hashes[i]! })));
    },
    getCustomerState: async (customerId) => store.getCustomerState(await keyed(customerId)),
    listCustomers: (limit, offset) => store.listCustomers(limit, offset),
    countCustomers: () => store.countCustomers(),
    async decisionsSince(customerId, sinceTs) {
      const decisions = await store.decisionsSince(await keyed(customerId), sinceTs);
      return decisions.map((decision): Decision => ({ ...decision, customerId }));
    },
    recordDecision: async (decision, dailyBudget) => store.recordDecision({ ...decision, customerId: await keyed(decision.customerId) }, dailyBudget),
    spent: (day) => store.spent(day),
    recordOutcome: async (outcome: Outcome) => store.recordOutcome({ ...outcome, customerId: await keyed(outcome.customerId) }),
    outcomeReport: () => store.outcomeReport(),
    decisionSummary: () => store.decisionSummary(),
    close: () => store.close(),
  };
  if (store.eraseCustomer !== undefined) {
    const erase = store.eraseCustomer.bind(store);
    wrapped.eraseCustomer = async (customerId) => erase(await keyed(customerId));
  }
  if (store.externalWriteMark !== undefined) wrapped.externalWriteMark = store.externalWriteMark.bind(store);
  return wrapped;
}

function hex(digest: ArrayBuffer): string {
  let text = '';
  for (const byte of new Uint8Array(digest)) text += byte.toString(16).padStart(2, '0');
  return text;
}
