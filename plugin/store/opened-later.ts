/**
 * A store that is opened after the plugin is created: the Express plugin opens its default
 * SQLite store only once the model has loaded, so a model that fails to load leaves no
 * database file behind (and no handle open), and better-sqlite3 is imported only by the
 * storefronts that use it. Calls made before it opens wait for it; after, they go straight
 * through.
 */
import { ChurnkitError } from '../../src/errors.js';
import { readCustomerView } from './customer-view.js';
import { erasureUnsupported } from './erasure-unsupported.js';
import type { ChurnStore } from './types.js';

/** A store standing in for `opening` until it resolves. */
export interface StoreOpenedLater extends ChurnStore {
  /** Resolves once the store is open; rejects with why it was not opened. */
  readonly opened: Promise<void>;
}

/**
 * Wraps the promise of a store. If `opening` rejects, every call rejects with that reason
 * and `close()` has nothing to close.
 *
 * @example
 * const store = storeOpenedLater(modelLoaded.then(() => openDefaultStore()));
 * await store.opened;
 */
export function storeOpenedLater(opening: Promise<ChurnStore>): StoreOpenedLater {
  return new OpenedLater(opening);
}

class OpenedLater implements StoreOpenedLater {
  private store: ChurnStore | undefined;
  readonly opened: Promise<void>;
  /**
   * The opened store's synchronous read, once it is open and if it has one (SQLite): the
   * customer cache looks for it on each read, so the plugin's own store reads a cold customer
   * in the same tick, as the same store given to the plugin does.
   */
  readCustomerViewNow?: ChurnStore['readCustomerViewNow'];

  constructor(private readonly opening: Promise<ChurnStore>) {
    this.opened = opening.then((store) => {
      this.store = store;
      if (store.readCustomerViewNow !== undefined) this.readCustomerViewNow = store.readCustomerViewNow.bind(store);
    });
    // The reason reaches whoever awaits `opened` or calls the store, never an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  private use<T>(work: (store: ChurnStore) => Promise<T>): Promise<T> {
    return this.store !== undefined ? work(this.store) : this.opening.then(work);
  }

  appendEvents(...args: Parameters<ChurnStore['appendEvents']>) {
    return this.use((store) => store.appendEvents(...args));
  }
  getCustomerState(customerId: string) {
    return this.use((store) => store.getCustomerState(customerId));
  }
  listCustomers(limit: number, offset?: number) {
    return this.use((store) => store.listCustomers(limit, offset));
  }
  countCustomers() {
    return this.use((store) => store.countCustomers());
  }
  decisionsSince(customerId: string, sinceTs: number) {
    return this.use((store) => store.decisionsSince(customerId, sinceTs));
  }
  /** The opened store's one read of features and decisions, or its fallback (`customer-view.ts`). */
  readCustomerView(customerId: string, asOfMs: number, decisionsSinceTs: number) {
    return this.use((store) => readCustomerView(store, customerId, asOfMs, decisionsSinceTs));
  }
  recordDecision(...args: Parameters<ChurnStore['recordDecision']>) {
    return this.use((store) => store.recordDecision(...args));
  }
  spent(day: string) {
    return this.use((store) => store.spent(day));
  }
  recordOutcome(...args: Parameters<ChurnStore['recordOutcome']>) {
    return this.use((store) => store.recordOutcome(...args));
  }
  outcomeReport() {
    return this.use((store) => store.outcomeReport());
  }
  decisionSummary() {
    return this.use((store) => store.decisionSummary());
  }
  eraseCustomer(customerId: string) {
    return this.use(async (store) => {
      if (store.eraseCustomer === undefined) throw erasureUnsupported();
      return store.eraseCustomer(customerId);
    });
  }

  /** The opened store's mark; before it opens (or if it has none) there is nothing to tell, which the customer cache treats as "unknown". */
  externalWriteMark(): number {
    const store = this.store;
    if (store?.externalWriteMark === undefined) throw new ChurnkitError('STORE_NOT_OPEN', 'the store has no external write mark yet');
    return store.externalWriteMark();
  }

  async close(): Promise<void> {
    const store = await this.opening.catch(() => undefined);
    await store?.close();
  }
}
