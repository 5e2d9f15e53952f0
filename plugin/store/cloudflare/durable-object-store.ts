/**
 * A store on a Cloudflare Durable Object: one object instance (one per store `name`) owns
 * the whole store and every Worker isolate talks to it, so its guarantees are global:
 * strongly consistent reads, and each read-modify-write (the budget, cooldown and cap check
 * with the decision it allows, folding events into a customer's state) runs one at a time against
 * transactional storage whose writes are durable before the object answers. The cost is
 * one round trip to the object per store call, and the throughput of one object (a few
 * hundred to a thousand calls a second); give each shop its own `name` to spread the load.
 *
 * The storage logic is the shared key-value store, run inside the object over its storage;
 * the client side forwards each `ChurnStore` call to it as a small JSON request.
 */
import { ChurnkitError } from '../../../src/errors.js';
import { keyValueStore, type KeyValueBackend } from '../key-value/key-value-store.js';
import type { ChurnStore } from '../types.js';

/** The part of a Durable Object's `state.storage` the store uses. */
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T = unknown>(options: { prefix: string }): Promise<Map<string, T>>;
}

/** The part of a `DurableObjectNamespace` binding the client uses. */
export interface DurableObjectNamespaceBinding<Id = unknown> {
  idFromName(name: string): Id;
  get(id: Id): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

const STORE_METHODS = [
  'appendEvents',
  'getCustomerState',
  'listCustomers',
  'countCustomers',
  'decisionsSince',
  'recordDecision',
  'spent',
  'recordOutcome',
  'outcomeReport',
  'decisionSummary',
  'eraseCustomer',
] as const;
type StoreMethod = (typeof STORE_METHODS)[number];

/**
 * JSON has no Infinity, and an unlimited daily budget or cap is one: it crosses as a string that
 * starts with a NUL. Customer ids and event fields are strings a caller chooses, NULs
 * included, so every string that starts with one crosses with a second NUL in front: a
 * customer named "\u0000Infinity" stays that customer instead of becoming customer
 * "Infinity" inside the object.
 */
const ESCAPE = '\u0000';
const INFINITY = `${ESCAPE}Infinity`;
const encode = (value: unknown) =>
  JSON.stringify(value, (_key, field: unknown) => (field === Infinity ? INFINITY : typeof field === 'string' && field.startsWith(ESCAPE) ? ESCAPE + field : field));
const decode = (text: string): unknown =>
  JSON.parse(text, (_key, field: unknown) => (field === INFINITY ? Infinity : typeof field === 'string' && field.startsWith(ESCAPE) ? field.slice(1) : field));

/**
 * The Durable Object class holding a store. Export it from your Worker's main module and
 * bind it (wrangler: `durable_objects.bindings` + a `new_sqlite_classes` migration).
 *
 * @example
 * export { ChurnStoreObject } from 'churnkit/stores/cloudflare';
 */
export class ChurnStoreObject {
  private readonly store: ChurnStore;

  constructor(state: { storage: DurableObjectStorageLike }, _env?: unknown) {
    this.store = keyValueStore(storageBackend(state.storage));
  }

  /** One store call: `POST /<method>` with the JSON array of its arguments. */
  async fetch(request: Request): Promise<Response> {
    const method = new URL(request.url).pathname.slice(1);
    if (!(STORE_METHODS as readonly string[]).includes(method) || request.method !== 'POST') {
      return new Response(encode({ error: `no store method "${method}"` }), { status: 404 });
    }
    try {
      // JSON writes an argument passed as undefined (an optional one a wrapper passes on, such
      // as recordDecision's limits) as null, which no store method takes: it is undefined again.
      const args = (decode(await request.text()) as unknown[]).map((arg) => arg ?? undefined);
      const call = this.store[method as StoreMethod] as (...args: unknown[]) => Promise<unknown>;
      const result = await call.apply(this.store, args);
      return new Response(encode({ result: result ?? null }));
    } catch (error) {
      // A churnkit error crosses with its code and message, written to be shown. Any other is
      // the platform's or a defect's, and its text may say anything about the object's data:
      // it stays in this object's log, as the plugin keeps foreign errors' texts out of answers.
      if (error instanceof ChurnkitError) return new Response(encode({ error: { code: error.code, message: error.message } }), { status: 500 });
      console.error(`churnkit: Durable Object store, ${method}:`, error);
      return new Response(encode({ error: null }), { status: 500 });
    }
  }
}

export interface DurableObjectStoreOptions {
  /** Which object holds the store (`idFromName(name)`): one store per name. Default `churnkit`. */
  name?: string;
}

/**
 * A store held by the `ChurnStoreObject` bound as `namespace` (e.g. `env.CHURN_STATE`).
 *
 * @example
 * import { durableObjectStore } from 'churnkit/stores/cloudflare';
 * const store = durableObjectStore(env.CHURN_STATE);
 */
export function durableObjectStore<Id>(namespace: DurableObjectNamespaceBinding<Id>, options: DurableObjectStoreOptions = {}): ChurnStore {
  const name = options.name ?? 'churnkit';
  const id = namespace.idFromName(name);
  const call = async (method: StoreMethod, args: unknown[]): Promise<unknown> => {
    // A stub per call: a stub is an I/O object of the request that made it, and Workers
    // refuse its use from another request (the store outlives requests).
    const response = await namespace.get(id).fetch(`https://churnkit.store/${method}`, { method: 'POST', body: encode(args) });
    const answer = decode(await response.text()) as { result?: unknown; error?: { code: string; message: string } | string | null };
    if (response.ok) return answer.result;
    const where = `Durable Object store "${name}", ${method}`;
    if (typeof answer.error === 'object' && answer.error !== null) throw new ChurnkitError(answer.error.code, `${where}: ${answer.error.message}`);
    if (typeof answer.error === 'string') throw new ChurnkitError('STORE_ERROR', `${where}: ${answer.error}`);
    throw new ChurnkitError('STORE_ERROR', `${where}: failed with status ${response.status} (the object's log has the cause)`);
  };
  const store = { close: async () => undefined } as Record<string, unknown>;
  for (const method of STORE_METHODS) store[method] = (...args: unknown[]) => call(method, args);
  return store as unknown as ChurnStore;
}

function storageBackend(storage: DurableObjectStorageLike): KeyValueBackend {
  return {
    get: async (key) => (await storage.get<string>(key)) ?? null,
    put: (key, value) => storage.put(key, value),
    delete: async (key) => {
      await storage.delete(key);
    },
    keys: async (prefix) => [...(await storage.list({ prefix })).keys()],
  };
}
