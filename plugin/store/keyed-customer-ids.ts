/**
 * Customer ids as keyed hashes (the `customerIds: { hmacKey }` option): a store wrapped here
 * receives `h:` + base64url(HMAC-SHA256(key, id)) wherever it would receive a customer id,
 * the very keys the Node stores' own `customerIdKey` option writes (`customer-keys.ts`), so a
 * store written through either is read through the other with the same secret — events,
 * state reads, decisions, outcomes, erasure — so neither the store nor a copy of it holds a
 * raw customer id, and without the key an id cannot be confirmed by hashing guesses (a plain
 * hash of an e-mail address or a sequential id could). The mapping is the same in every
 * process with the same key, so instances sharing a store agree.
 *
 * What comes back names hashes: `listCustomers` and the offline logs (`decisionLog`,
 * `eventLog`, `challengerLog`) give hashed ids (dashboards show them); a customer's decisions
 * are given back with the id they were asked for. This wrapper, not the stores' option,
 * because it runs in front of any store, at the edge too: Web Crypto, so it runs in every
 * runtime; the customer cache sits in front, so a product page seen again computes no hash,
 * and recent ids are remembered (a bounded map) for the rest.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import type { ChurnStore, Decision, Outcome } from './types.js';
import { storableCustomerId } from '../customer-id.js';

/** The prefix of a keyed id, as `customer-keys.ts` writes it: never mistaken for a plain id. */
const KEYED_PREFIX = 'h:';

/** Ids whose hash is remembered; past it the oldest goes. */
const REMEMBERED = 10_000;

/**
 * `store`, seeing keyed hashes of customer ids.
 *
 * @example
 * const store = keyCustomerIds(memoryStore(), process.env.CHURNKIT_ID_KEY!);
 * await store.appendEvents([{ customerId: 'ada@example.com', ts: Date.now(), type: 'order' }]);
 * // the memory store holds "customer:h:3q2-7w…" (43 base64url characters), never the address
 */
export function keyCustomerIds(store: ChurnStore, hmacKey: string): ChurnStore {
  const key = globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(hmacKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const remembered = new Map<string, Promise<string>>();
  const keyed = (customerId: string): Promise<string> => {
    let hashed = remembered.get(customerId);
    if (hashed === undefined) {
      // TextEncoder writes half of a surrogate pair as U+FFFD: two such ids would hash alike.
      storableCustomerId(customerId);
      hashed = key.then(async (cryptoKey) => KEYED_PREFIX + base64url(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(customerId))));
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
    recordDecision: async (decision, dailyBudget, limits) => store.recordDecision({ ...decision, customerId: await keyed(decision.customerId) }, dailyBudget, limits),
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
  if (store.readCustomerView !== undefined) {
    const read = store.readCustomerView.bind(store);
    wrapped.readCustomerView = async (customerId, asOfMs, decisionsSinceTs) => {
      const view = await read(await keyed(customerId), asOfMs, decisionsSinceTs);
      // What the policy reads of them: a whole decision would name the customer by their key.
      return { features: view.features, decisions: view.decisions.map(({ ts, action }) => ({ ts, action })) };
    };
  }
  // The offline logs, as the store keeps them (named by keys): a challenger needs the scores'
  // log, its comparison the event log, uplift training the decision log.
  if (store.decisionLog !== undefined) wrapped.decisionLog = store.decisionLog.bind(store);
  if (store.eventLog !== undefined) wrapped.eventLog = store.eventLog.bind(store);
  if (store.challengerLog !== undefined) wrapped.challengerLog = store.challengerLog.bind(store);
  if (store.recordChallengerScores !== undefined) {
    const record = store.recordChallengerScores.bind(store);
    wrapped.recordChallengerScores = async (scores) => {
      const hashes = await Promise.all(scores.map((score) => keyed(score.customerId)));
      return record(scores.map((score, i) => ({ ...score, customerId: hashes[i]! })));
    };
  }
  return wrapped;
}

/** Base64url without padding, as Node's `digest('base64url')` writes it (no Buffer at the edge). */
function base64url(digest: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
