import { keyValueStore } from '../../../plugin/store/key-value/key-value-store.js';
import { mapBackend } from '../../../plugin/store/memory-store.js';
import { describeStoreBehaviour } from './store-behaviour.js';

// memoryStore() is exactly this over a fresh Map; a second store over the same map stands
// for "the next instance over the same data", as a second connection to a database would.
const dataOf = new WeakMap<object, Map<string, string>>();

describeStoreBehaviour('in-memory', {
  keepsDecisionLog: false,
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
