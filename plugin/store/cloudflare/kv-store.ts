/**
 * A store on Cloudflare Workers KV. KV is a globally replicated cache of values, and the
 * store inherits its limits (docs/edge.md says what that means for a storefront):
 *
 * - eventually consistent: a write is seen at once where it was made, elsewhere up to
 *   about 60 s later; another isolate's events, decisions and spend arrive that late;
 * - no atomic read-modify-write: the budget, cooldown and cap check and the event fold are
 *   one-at-a-time only inside this store object (one isolate). Two isolates can both spend
 *   the last of a day's budget, or both issue an action within its cooldown, and two
 *   isolates folding events for one customer at once can lose one of the updates;
 * - about one write per second per key: a customer's state, and the day's budget key, take
 *   one write each per event batch or costly decision; faster writes are refused by KV
 *   (the routes fail open, the events route answers 503).
 *
 * So KV suits read-mostly state near the shopper (features written by a batch job,
 * scoring without a spending policy). For a budget that must hold, use the Durable Object
 * store.
 */
import { OptionsError } from '../../../src/errors.js';
import { keyValueStore, type KeyValueBackend } from '../key-value/key-value-store.js';
import type { ChurnStore } from '../types.js';

/** KV's longest key, in bytes of UTF-8 (Cloudflare's limit; miniflare enforces it too). */
const KV_KEY_BYTES = 512;
/** The longest key prefix: what is left of a key still holds a 200-character ASCII id. */
const MAX_PREFIX_BYTES = 128;

/** The part of a Workers `KVNamespace` binding the store uses. */
export interface KvNamespaceBinding {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

export interface KvStoreOptions {
  /**
   * Prefix of every key, so one namespace can hold several stores (at most 128 bytes of
   * UTF-8). Default `churnkit:`. Two stores in one namespace need prefixes neither of which
   * begins the other (`shop:` and `shop:eu:` would read each other's keys).
   */
  keyPrefix?: string;
}

/**
 * A store on the KV namespace bound as `namespace` (e.g. `env.CHURN_KV`).
 *
 * @example
 * import { kvStore } from 'churnkit/stores/cloudflare';
 * const store = kvStore(env.CHURN_KV);
 */
export function kvStore(namespace: KvNamespaceBinding, options: KvStoreOptions = {}): ChurnStore {
  const keyPrefix = options.keyPrefix ?? 'churnkit:';
  const prefixBytes = typeof keyPrefix === 'string' ? new TextEncoder().encode(keyPrefix).length : undefined;
  if (prefixBytes === undefined || prefixBytes > MAX_PREFIX_BYTES) {
    throw new OptionsError(
      'STORE_KEY_PREFIX',
      `store option "keyPrefix" must be a string of at most ${MAX_PREFIX_BYTES} bytes of UTF-8 (KV keys hold ${KV_KEY_BYTES}, and the rest is for customer ids), got ${prefixBytes === undefined ? typeof keyPrefix : `${prefixBytes} bytes`}`,
    );
  }
  return keyValueStore(kvBackend(namespace), keyPrefix);
}

function kvBackend(namespace: KvNamespaceBinding): KeyValueBackend {
  return {
    // A longer key fails every call.
    keyLimit: { bytes: KV_KEY_BYTES, backend: 'Workers KV' },
    get: (key) => namespace.get(key),
    put: (key, value) => namespace.put(key, value),
    delete: (key) => namespace.delete(key),
    async keys(prefix) {
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await namespace.list(cursor === undefined ? { prefix } : { prefix, cursor });
        for (const key of page.keys) keys.push(key.name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor !== undefined);
      return keys;
    },
  };
}
