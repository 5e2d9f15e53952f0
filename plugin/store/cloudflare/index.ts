/**
 * churnkit/stores/cloudflare: stores for Cloudflare Workers. `kvStore` (Workers KV:
 * eventually consistent, no atomic budget) and `durableObjectStore` with its
 * `ChurnStoreObject` class (strongly consistent, transactional). docs/edge.md compares them.
 */
export { kvStore, type KvNamespaceBinding, type KvStoreOptions } from './kv-store.js';
export {
  ChurnStoreObject,
  durableObjectStore,
  type DurableObjectNamespaceBinding,
  type DurableObjectStorageLike,
  type DurableObjectStoreOptions,
} from './durable-object-store.js';
