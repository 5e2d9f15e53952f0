/**
 * The in-memory store: everything in this process (or Workers isolate), gone when it
 * stops. For tests, demos, and edge scoring where nothing needs to outlive the isolate;
 * strongly consistent and atomic within the one process that holds it.
 */
import type { KeyValueBackend } from './key-value/key-value-store.js';
import { keyValueStore } from './key-value/key-value-store.js';
import type { ChurnStore } from './types.js';

/**
 * A fresh, empty in-memory store.
 *
 * @example
 * import { churnHandler, memoryStore } from 'churnkit/fetch';
 * const churn = churnHandler({ model, engine: { module: kernel }, store: memoryStore() });
 */
export function memoryStore(): ChurnStore {
  return keyValueStore(mapBackend(new Map()));
}

/**
 * A key-value backend over a `Map` (two stores over one map share their data, as two
 * connections to one database would).
 *
 * @example
 * const data = new Map<string, string>();
 * const first = keyValueStore(mapBackend(data));
 * const second = keyValueStore(mapBackend(data)); // sees what `first` wrote
 */
export function mapBackend(data: Map<string, string>): KeyValueBackend {
  return {
    get: async (key) => data.get(key) ?? null,
    put: async (key, value) => {
      data.set(key, value);
    },
    delete: async (key) => {
      data.delete(key);
    },
    keys: async (prefix) => [...data.keys()].filter((key) => key.startsWith(prefix)).sort(),
  };
}
